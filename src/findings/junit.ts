import type { TestSuiteName } from "../config/sections/build.js";
import { ReportError, fileLabel } from "./errors.js";
import type { Finding, FindingSet } from "./model.js";
import { fingerprintOf, firstLine } from "./normalize.js";
import { parseXml, type XmlElement } from "./xml.js";

export interface TestFailure {
  suite: string;
  name: string;
  classname?: string;
  /** File attribute of the test case, when the runner writes one. */
  file?: string;
  /** `failure`: an assertion or a thrown error in the test; `error`: the test or its suite could not run. */
  kind: "failure" | "error";
  message: string;
}

/** What a JUnit XML report says, counted from its test cases (not from the summary attributes). */
export interface TestReport {
  passed: number;
  failed: number;
  skipped: number;
  errors: number;
  total: number;
  failures: TestFailure[];
}

function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

function collectSuites(el: XmlElement, out: XmlElement[]): void {
  for (const child of el.children) {
    if (child.name === "testsuite") {
      out.push(child);
      collectSuites(child, out);
    }
  }
}

// jest-junit starts a suite error with "● Test suite failed to run": keep the line that says why.
function bodySummary(text: string): string {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const first = lines[0] ?? "";
  if (first.startsWith("●") && lines[1]) return firstLine(`${first.replace(/^●\s*/, "")}: ${lines[1]}`, 500);
  return firstLine(first, 500);
}

function problemMessage(el: XmlElement): string {
  const message = el.attrs.message?.trim();
  const type = el.attrs.type?.trim();
  const text = message || bodySummary(el.text) || "(no message)";
  return type && !text.startsWith(type) ? `${type}: ${text}` : text;
}

/**
 * Parses JUnit XML from vitest, jest-junit, Maven Surefire and similar. Each test case is counted by
 * what it contains: `<error>` is an error, `<failure>` a failure (vitest reports an import error as a
 * test case with a failure, so it counts), `<skipped>` skipped, anything else passed. Surefire's
 * `<flakyFailure>` alone is a pass after rerun. jest-junit with `reportTestSuiteErrors` writes a broken
 * suite as two cases of the same name, one with `<error>` and one with `<failure>`: counted once, as an error.
 */
export function parseJUnit(xml: string, file?: string): TestReport {
  const label = fileLabel(file);
  const root = parseXml(xml, label);
  if (root.name !== "testsuites" && root.name !== "testsuite") {
    throw new ReportError(label, `<${root.name}>`, "not a JUnit report: expected a <testsuites> or <testsuite> root element");
  }
  const suites = root.name === "testsuite" ? [root] : [];
  collectSuites(root, suites);
  const report: TestReport = { passed: 0, failed: 0, skipped: 0, errors: 0, total: 0, failures: [] };
  for (const suite of suites) {
    const suiteName = suite.attrs.name ?? "";
    const cases = childrenNamed(suite, "testcase");
    const erroredNames = new Set(cases.filter((c) => childrenNamed(c, "error").length > 0).map((c) => `${c.attrs.classname ?? ""}\u0000${c.attrs.name ?? ""}`));
    for (const tc of cases) {
      const name = tc.attrs.name ?? "(unnamed test)";
      const classname = tc.attrs.classname;
      const error = childrenNamed(tc, "error")[0];
      const failure = childrenNamed(tc, "failure")[0];
      if (!error && failure && erroredNames.has(`${classname ?? ""}\u0000${tc.attrs.name ?? ""}`)) continue;
      report.total++;
      const problem = error ?? failure;
      if (problem) {
        if (error) report.errors++;
        else report.failed++;
        report.failures.push({
          suite: suiteName,
          name,
          ...(classname !== undefined ? { classname } : {}),
          ...(tc.attrs.file ? { file: tc.attrs.file } : {}),
          kind: error ? "error" : "failure",
          message: problemMessage(problem),
        });
      } else if (childrenNamed(tc, "skipped").length > 0) report.skipped++;
      else report.passed++;
    }
  }
  return report;
}

function looksLikePath(s: string | undefined): s is string {
  return s !== undefined && /^[\w@./-]+\.[A-Za-z]{1,5}$/.test(s) && s.includes("/");
}

/** One `test` finding per failed or errored test case; they block by default (`failOn.test: low`). */
export function junitFindings(report: TestReport): Finding[] {
  return report.failures.map((f) => {
    const path = f.file ?? (looksLikePath(f.classname) ? f.classname : looksLikePath(f.suite) ? f.suite : undefined);
    return {
      tool: "junit",
      category: "test",
      rule: f.kind === "error" ? "test-error" : "test-failure",
      severity: "high",
      message: `${f.suite && f.suite !== f.name ? `${f.suite} › ` : ""}${f.name}: ${f.message}`,
      location: path ? { path } : {},
      fingerprint: fingerprintOf("junit", f.suite, f.classname, f.name),
      title: f.kind === "error" ? "A test or test suite could not run" : "A test failed",
    };
  });
}

/** Rule of the finding that a JUnit report without a single test case raises. */
export const NO_TEST_CASES_RULE = "junit-no-test-cases";
/** Rule of the finding that a configured suite's missing JUnit report raises. */
export const REPORT_MISSING_RULE = "junit-report-missing";

/** What a dpra.yaml suite that ran no test must configure: its command and reports, or an opt-out with a reason. */
function suiteFix(suite: TestSuiteName): string {
  return (
    `Check that tests.${suite}.command runs the suite's tests and that its JUnit reporter writes them to tests.${suite}.reports ` +
    `(vitest --reporter=junit, jest-junit, Surefire), or, to go without ${suite} tests on purpose, remove tests.${suite} ` +
    `and give the reason in tests.optOut.${suite}: "<reason>".`
  );
}

/**
 * A report without test cases means no test ran, and tests that did not run cannot pass: one `test`
 * finding that blocks like a failed test (and, like any finding, only an allowlist entry with a
 * reason and an expiry can accept it). With the dpra.yaml suite it belongs to, the message names
 * the suite's fields and the opt-out.
 */
function noTestCasesFinding(file: string | undefined, suite?: TestSuiteName): Finding {
  const report = `${suite ? `the ${suite} suite's JUnit report` : "the JUnit report"}${file ? ` ${file}` : ""}`;
  return {
    tool: "junit",
    category: "test",
    rule: NO_TEST_CASES_RULE,
    severity: "high",
    message:
      `${report} holds no test cases: no test ran, so the tests cannot pass. ` +
      (suite ? suiteFix(suite) : "Check that the suite has tests and that the runner's JUnit reporter writes them (vitest --reporter=junit, jest-junit, Surefire)."),
    location: file ? { path: file } : {},
    fingerprint: fingerprintOf("junit", NO_TEST_CASES_RULE, file ?? ""),
    title: "No test ran",
  };
}

/** A configured suite wrote no JUnit report at one of its `reports` paths: nothing shows that a test ran. */
export function reportMissingFinding(suite: TestSuiteName, file: string, exitCode: number): Finding {
  return {
    tool: "junit",
    category: "test",
    rule: REPORT_MISSING_RULE,
    severity: "high",
    message: `the ${suite} suite wrote no JUnit report at ${file} (tests.${suite}.command exited ${exitCode}), so nothing shows that a test ran. ${suiteFix(suite)}`,
    location: { path: file },
    fingerprint: fingerprintOf("junit", REPORT_MISSING_RULE, file),
    title: "No test report",
  };
}

/** One JUnit report as a finding set; `suite` (the dpra.yaml suite it belongs to) makes the messages name its fields. */
export function parseJUnitReport(xml: string, file?: string, suite?: TestSuiteName): FindingSet & { tests: TestReport } {
  const tests = parseJUnit(xml, file);
  return {
    tool: "junit",
    format: "junit",
    findings: tests.total === 0 ? [noTestCasesFinding(file, suite)] : junitFindings(tests),
    toolErrors: [],
    tests,
  };
}
