// Unit test outcome: the JUnit reports a run wrote, merged, plus what the reports cannot show (a
// missing report, a runner that failed without a failing test case). Pure: unit-tested on fixtures.
import { createHash } from "node:crypto";
import { lastLines } from "../../tools/output.js";
import { parseJUnitReport, REPORT_MISSING_RULE, type TestReport } from "../../findings/junit.js";
import type { Finding, FindingSet } from "../../findings/model.js";

export interface UnitTestOutcome {
  /** All test findings: failing test cases, missing reports, a failed runner. */
  set: FindingSet;
  tests: TestReport;
  exitCode: number;
}

function finding(rule: string, message: string, path?: string): Finding {
  return {
    tool: "junit",
    category: "test",
    rule,
    severity: "high",
    message,
    location: path ? { path } : {},
    fingerprint: createHash("sha256")
      .update(`junit\u0000${rule}\u0000${path ?? ""}`)
      .digest("hex")
      .slice(0, 32),
  };
}

export function collectTestReports(files: Array<{ path: string; xml: string }>, missing: string[], run: { command: string; exitCode: number; output: string }): UnitTestOutcome {
  const tests: TestReport = { passed: 0, failed: 0, skipped: 0, errors: 0, total: 0, failures: [] };
  const findings: Finding[] = [];
  const toolErrors: string[] = [];
  for (const file of files) {
    const parsed = parseJUnitReport(file.xml, file.path);
    tests.passed += parsed.tests.passed;
    tests.failed += parsed.tests.failed;
    tests.skipped += parsed.tests.skipped;
    tests.errors += parsed.tests.errors;
    tests.total += parsed.tests.total;
    tests.failures.push(...parsed.tests.failures);
    findings.push(...parsed.findings);
    toolErrors.push(...parsed.toolErrors);
  }
  for (const path of missing) {
    findings.push(finding(REPORT_MISSING_RULE, `\`${run.command}\` (exit ${run.exitCode}) wrote no JUnit report at ${path}`, path));
  }
  // jest without reportTestSuiteErrors leaves a suite that failed to load out of the XML: only the
  // exit code says something went wrong. It must not pass.
  if (run.exitCode !== 0 && tests.failed + tests.errors === 0 && missing.length === 0) {
    const tail = lastLines(run.output);
    findings.push(finding("test-runner-failed", `\`${run.command}\` exited ${run.exitCode} although its reports list no failing test${tail ? `:\n${tail}` : ""}`));
  }
  const counts = { passed: tests.passed, failed: tests.failed, skipped: tests.skipped, errors: tests.errors, total: tests.total };
  return { set: { tool: "junit", format: "junit", findings, toolErrors, tests: counts }, tests, exitCode: run.exitCode };
}
