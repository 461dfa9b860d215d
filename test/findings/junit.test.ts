import { describe, expect, it } from "vitest";
import { junitFindings, parseJUnit } from "../../src/findings/junit.js";
import { parseReport } from "../../src/findings/parse.js";
import { PolicyConfig } from "../../src/config/sections/policy.js";
import { evaluateGate } from "../../src/policy/gate.js";
import { fixtureText, parseFixture } from "../support/findings.js";

const counts = (xml: string) => {
  const { failures: _failures, ...rest } = parseJUnit(xml);
  return rest;
};

describe("JUnit XML", () => {
  it("vitest: an import error reported as a test case with <failure> counts as a failure; todo is skipped", () => {
    const xml = fixtureText("junit", "vitest-4.1.12-junit-failures.xml");
    expect(counts(xml)).toEqual({ passed: 2, failed: 3, skipped: 2, errors: 0, total: 7 });
    const report = parseJUnit(xml);
    expect(report.failures.map((f) => f.name)).toEqual(["vt/broken-import.test.ts", "math > subtracts", "math > throws a TypeError"]);
    expect(report.failures[0]).toMatchObject({
      suite: "vt/broken-import.test.ts",
      kind: "failure",
      message: "Error: Cannot find module './does-not-exist.js' imported from /project/vt/broken-import.test.ts",
    });
    expect(report.failures[1]!.message).toBe("AssertionError: expected 2 to be 1 // Object.is equality");
  });

  it("vitest: a passing run", () => {
    expect(counts(fixtureText("junit", "vitest-4.1.12-junit-pass.xml"))).toEqual({ passed: 1, failed: 0, skipped: 0, errors: 0, total: 1 });
    // Entities in names are decoded.
    expect(parseReport(fixtureText("junit", "vitest-4.1.12-junit-pass.xml")).tests?.passed).toBe(1);
  });

  it("jest-junit defaults: the broken suite is absent, todo is a plain passing case", () => {
    const report = parseJUnit(fixtureText("junit", "jest-30.5.2-jest-junit-17.0.0-failures.xml"));
    expect(counts(fixtureText("junit", "jest-30.5.2-jest-junit-17.0.0-failures.xml"))).toEqual({ passed: 3, failed: 2, skipped: 1, errors: 0, total: 6 });
    expect(report.failures.map((f) => `${f.suite}/${f.name}`)).toEqual(["math/math subtracts", "math/math throws a TypeError"]);
    expect(report.failures[0]!.message).toBe("Error: expect(received).toBe(expected) // Object.is equality");
  });

  it("jest-junit with reportTestSuiteErrors: the broken suite counts once, as an error", () => {
    const report = parseJUnit(fixtureText("junit", "jest-30.5.2-jest-junit-17.0.0-failures-reportTestSuiteErrors.xml"));
    expect(counts(fixtureText("junit", "jest-30.5.2-jest-junit-17.0.0-failures-reportTestSuiteErrors.xml"))).toEqual({
      passed: 3,
      failed: 2,
      skipped: 1,
      errors: 1,
      total: 7,
    });
    expect(report.failures[2]).toEqual({
      suite: "jt/broken-import.test.js",
      name: "jt/broken-import.test.js",
      classname: "Test suite failed to run",
      kind: "error",
      message: "Test suite failed to run: Cannot find module './does-not-exist.js' from 'jt/broken-import.test.js'",
    });
  });

  it('jest-junit: a passing run with a top-level test in suite "undefined"', () => {
    const report = parseJUnit(fixtureText("junit", "jest-30.5.2-jest-junit-17.0.0-pass.xml"));
    expect(counts(fixtureText("junit", "jest-30.5.2-jest-junit-17.0.0-pass.xml"))).toEqual({ passed: 1, failed: 0, skipped: 0, errors: 0, total: 1 });
    expect(report.failures).toEqual([]);
  });

  it("gitleaks JUnit: failures come from the message attribute, never the secret in the body", async () => {
    const set = await parseFixture("junit", "gitleaks-junit_simple.xml");
    expect(set.tests).toMatchObject({ passed: 0, failed: 2, skipped: 0, errors: 0, total: 2 });
    expect(set.findings).toHaveLength(2);
    expect(set.findings[0]).toMatchObject({ tool: "junit", category: "test", rule: "test-failure", severity: "high", location: { path: "auth.py" } });
    // The body holds the finding JSON with Secret and Match; only the message attribute is read.
    expect(JSON.stringify(set)).not.toContain("line containing secret");
    expect(JSON.stringify(set)).not.toContain("Secret");
  });

  it("Maven Surefire: root <testsuite>, errors, skipped, flaky and rerun failures", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="com.example.CartTest" time="0.41" tests="5" errors="1" skipped="1" failures="1">
  <properties><property name="java.version" value="21"/></properties>
  <testcase name="addsItem" classname="com.example.CartTest" time="0.01"/>
  <testcase name="removesItem" classname="com.example.CartTest" time="0.02">
    <failure message="expected: &lt;1&gt; but was: &lt;2&gt;" type="org.opentest4j.AssertionFailedError"><![CDATA[org.opentest4j.AssertionFailedError: expected: <1> but was: <2>
	at com.example.CartTest.removesItem(CartTest.java:31)]]></failure>
    <rerunFailure message="expected: &lt;1&gt; but was: &lt;2&gt;" type="org.opentest4j.AssertionFailedError"/>
  </testcase>
  <testcase name="loadsPrices" classname="com.example.CartTest" time="0.3">
    <error message="Connection refused" type="java.net.ConnectException">java.net.ConnectException: Connection refused</error>
  </testcase>
  <testcase name="appliesDiscount" classname="com.example.CartTest" time="0"><skipped message="disabled"/></testcase>
  <testcase name="totals" classname="com.example.CartTest" time="0.05">
    <flakyFailure message="timeout" type="java.util.concurrent.TimeoutException"/>
    <system-out><![CDATA[retry 1]]></system-out>
  </testcase>
</testsuite>`;
    const report = parseJUnit(xml, "TEST-com.example.CartTest.xml");
    expect(counts(xml)).toEqual({ passed: 2, failed: 1, skipped: 1, errors: 1, total: 5 });
    expect(report.failures).toEqual([
      {
        suite: "com.example.CartTest",
        name: "removesItem",
        classname: "com.example.CartTest",
        kind: "failure",
        message: "org.opentest4j.AssertionFailedError: expected: <1> but was: <2>",
      },
      { suite: "com.example.CartTest", name: "loadsPrices", classname: "com.example.CartTest", kind: "error", message: "java.net.ConnectException: Connection refused" },
    ]);
    const findings = junitFindings(report);
    expect(findings.map((f) => f.rule)).toEqual(["test-failure", "test-error"]);
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(2);
  });

  it("reports malformed XML with line and column", () => {
    const xml = `<testsuites>\n  <testsuite name="a">\n    <testcase name="x">\n  </testsuite>\n</testsuites>`;
    expect(() => parseJUnit(xml, "junit.xml")).toThrow("junit.xml: at line 4, column 3: not valid XML: expected </testcase> but found </testsuite>");
    expect(() => parseJUnit("<testsuite><testcase name='a &nbsp; b'/></testsuite>", "j.xml")).toThrow(/unknown entity "&nbsp;"/);
    expect(() => parseJUnit("<html><body/></html>", "page.xml")).toThrow("page.xml: at <html>: not a JUnit report: expected a <testsuites> or <testsuite> root element");
  });

  it("a report without test cases is a blocking test finding: no test ran", () => {
    const set = parseReport('<?xml version="1.0"?><testsuites name="vitest tests" tests="0"></testsuites>', { file: "reports/junit.xml" });
    expect(set.tests?.total).toBe(0);
    expect(set.findings).toMatchObject([{ tool: "junit", category: "test", rule: "junit-no-test-cases", severity: "high", location: { path: "reports/junit.xml" } }]);
    expect(set.findings[0]!.message).toMatch(/reports\/junit\.xml holds no test cases: no test ran/);
    const gate = evaluateGate([set], PolicyConfig.parse({}), { today: new Date("2026-12-07") });
    expect(gate.passed).toBe(false);
    expect(gate.blocking.map((g) => g.finding.rule)).toEqual(["junit-no-test-cases"]);
  });
});
