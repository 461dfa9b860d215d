// The verdict of an integration or E2E suite: its exit code and what its JUnit reports say.
// A suite passes only when both agree; a disagreement is a failure that says which one spoke.
// A configured suite cannot pass empty: a report without a test case, or a report the command did
// not write, is a blocking finding naming the suite's dpra.yaml fields and the opt-out.
// Engine-free.
import type { TestSuiteName } from "../../config/sections/build.js";
import { NO_TEST_CASES_RULE, parseJUnitReport, REPORT_MISSING_RULE, reportMissingFinding, type TestReport } from "../../findings/junit.js";
import type { Finding } from "../../findings/model.js";
import { errorMessage } from "../../errors.js";

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
  /** Test findings: failed or errored test cases, reports without a test case, reports not written. Each one blocks. */
  findings: Finding[];
}

/** Findings that say no test ran, rather than that a test failed. */
const RAN_NOTHING = new Set([NO_TEST_CASES_RULE, REPORT_MISSING_RULE]);

export function suiteVerdict(suite: TestSuiteName, exitCode: number, files: SuiteReportFile[]): SuiteVerdict {
  const unreadable: string[] = [];
  const findings: Finding[] = [];
  let tests: TestReport | undefined;
  for (const f of files) {
    if (f.xml === undefined) {
      findings.push(reportMissingFinding(suite, f.path, exitCode));
      continue;
    }
    try {
      const parsed = parseJUnitReport(f.xml, f.path, suite);
      tests = merge(tests, parsed.tests);
      findings.push(...parsed.findings);
    } catch (err) {
      unreadable.push(errorMessage(err));
    }
  }
  const withTests = tests ? { tests } : {};
  const counts = tests ? `${tests.passed} passed, ${tests.failed} failed, ${tests.errors} errors, ${tests.skipped} skipped` : "no readable report";
  const failing = tests?.failures.slice(0, 5).map((f) => `${f.suite && f.suite !== f.name ? `${f.suite} › ` : ""}${f.name}: ${f.message}`) ?? [];
  if (tests && (tests.failed > 0 || tests.errors > 0)) {
    const more = tests.failures.length > failing.length ? ` (and ${tests.failures.length - failing.length} more)` : "";
    return { ok: false, tests, findings, summary: `${suite} tests failed (${counts}): ${failing.join("; ")}${more}` };
  }
  const problems = [...unreadable, ...findings.filter((f) => RAN_NOTHING.has(f.rule)).map((f) => f.message)];
  if (exitCode !== 0) {
    const why = problems.length > 0 ? problems.join("; ") : "the reports show no failing test, so a suite may have failed to run";
    return { ok: false, ...withTests, findings, summary: `${suite} tests exited with code ${exitCode} (${counts}): ${why}` };
  }
  if (problems.length > 0) return { ok: false, ...withTests, findings, summary: `${suite} tests: ${problems.join("; ")}` };
  if (!tests) return { ok: false, findings, summary: `${suite} tests: tests.${suite}.reports names no JUnit report, so nothing shows that a test ran` };
  return { ok: true, tests, findings, summary: `${suite} tests passed (${counts})` };
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
