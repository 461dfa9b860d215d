// The verdict of an integration or E2E suite: its exit code and what its JUnit reports say.
// A suite passes only when both agree; a disagreement is a failure that says which one spoke.
// Engine-free.
import { parseJUnit, type TestReport } from "../../findings/junit.js";

export interface SuiteReportFile {
  path: string;
  /** The XML, or undefined when the file was not written. */
  xml?: string;
}

export interface SuiteVerdict {
  ok: boolean;
  summary: string;
  /** The reports merged; undefined when none could be read. */
  tests?: TestReport;
}

export function suiteVerdict(suite: string, exitCode: number, files: SuiteReportFile[]): SuiteVerdict {
  const problems: string[] = [];
  let tests: TestReport | undefined;
  for (const f of files) {
    if (f.xml === undefined) {
      problems.push(`no JUnit report at ${f.path}: make the test command write it there, or set the suite's \`reports\` in dpra.yaml`);
      continue;
    }
    try {
      tests = merge(tests, parseJUnit(f.xml, f.path));
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  const counts = tests ? `${tests.passed} passed, ${tests.failed} failed, ${tests.errors} errors, ${tests.skipped} skipped` : "no readable report";
  const failing = tests?.failures.slice(0, 5).map((f) => `${f.suite && f.suite !== f.name ? `${f.suite} › ` : ""}${f.name}: ${f.message}`) ?? [];
  if (tests && (tests.failed > 0 || tests.errors > 0)) {
    const more = tests.failures.length > failing.length ? ` (and ${tests.failures.length - failing.length} more)` : "";
    return { ok: false, tests, summary: `${suite} tests failed (${counts}): ${failing.join("; ")}${more}` };
  }
  if (exitCode !== 0) {
    const why = problems.length > 0 ? problems.join("; ") : "the reports show no failing test, so a suite may have failed to run";
    return { ok: false, ...(tests ? { tests } : {}), summary: `${suite} tests exited with code ${exitCode} (${counts}): ${why}` };
  }
  if (problems.length > 0) return { ok: false, ...(tests ? { tests } : {}), summary: `${suite} tests: ${problems.join("; ")}` };
  if (!tests || tests.total === 0) {
    return { ok: false, ...(tests ? { tests } : {}), summary: `${suite} tests ran no test case: check the test runner's JUnit reporter settings` };
  }
  return { ok: true, tests, summary: `${suite} tests passed (${counts})` };
}

function merge(a: TestReport | undefined, b: TestReport): TestReport {
  if (!a) return b;
  return {
    passed: a.passed + b.passed,
    failed: a.failed + b.failed,
    skipped: a.skipped + b.skipped,
    errors: a.errors + b.errors,
    total: a.total + b.total,
    failures: [...a.failures, ...b.failures],
  };
}
