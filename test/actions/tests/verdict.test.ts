// Level 4 (fixture unit test): the integration/E2E suite verdict on real JUnit reports (test/fixtures/junit).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { suiteVerdict } from "../../../src/actions/tests/verdict.js";
import { fixturePath } from "../../support/fixtures.js";

const junit = (name: string) => readFileSync(fixturePath("junit", name), "utf8");

describe("integration/E2E suite verdict", () => {
  it("passes when the exit code and the report agree", () => {
    const v = suiteVerdict("integration", 0, [{ path: "reports/junit.xml", xml: junit("vitest-4.1.12-junit-pass.xml") }]);
    expect(v.ok).toBe(true);
    expect(v.summary).toMatch(/^integration tests passed \(\d+ passed, 0 failed, 0 errors, 0 skipped\)$/);
  });

  it("fails on failing test cases, naming them (vitest, including an import error reported as a case)", () => {
    const v = suiteVerdict("integration", 1, [{ path: "reports/junit.xml", xml: junit("vitest-4.1.12-junit-failures.xml") }]);
    expect(v.ok).toBe(false);
    expect(v.summary).toMatch(/^integration tests failed \(/);
    expect(v.summary).toMatch(/broken-import\.test\.ts/);
  });

  it("fails when the runner exits non-zero though the report shows no failure (jest-junit omits broken suites)", () => {
    const v = suiteVerdict("e2e", 1, [{ path: "junit.xml", xml: junit("jest-30.5.2-jest-junit-17.0.0-pass.xml") }]);
    expect(v.ok).toBe(false);
    expect(v.summary).toMatch(/^e2e tests exited with code 1 .*a suite may have failed to run/);
  });

  it("fails when the report is missing, with a blocking finding naming the suite's fields and the opt-out", () => {
    const v = suiteVerdict("integration", 0, [{ path: "reports/junit.xml" }]);
    expect(v.ok).toBe(false);
    expect(v.findings).toMatchObject([{ tool: "junit", category: "test", rule: "junit-report-missing", severity: "high", location: { path: "reports/junit.xml" } }]);
    expect(v.summary).toBe(
      "integration tests: the integration suite wrote no JUnit report at reports/junit.xml (tests.integration.command exited 0), so nothing shows that a test ran. " +
        "Check that tests.integration.command runs the suite's tests and that its JUnit reporter writes them to tests.integration.reports " +
        '(vitest --reporter=junit, jest-junit, Surefire), or, to go without integration tests on purpose, remove tests.integration and give the reason in tests.optOut.integration: "<reason>".',
    );
    // A command that failed and wrote nothing says both.
    expect(suiteVerdict("e2e", 1, [{ path: "e2e.xml" }]).summary).toMatch(
      /^e2e tests exited with code 1 \(no readable report\): the e2e suite wrote no JUnit report at e2e\.xml \(tests\.e2e\.command exited 1\).*tests\.optOut\.e2e/,
    );
  });

  it("fails when a report is not JUnit", () => {
    const bad = suiteVerdict("integration", 0, [{ path: "r.xml", xml: "<html/>" }]);
    expect(bad.ok).toBe(false);
    expect(bad.summary).toMatch(/r\.xml: .*not a JUnit report/);
  });

  it("fails a suite whose real report holds no test case (vitest --passWithNoTests), naming the suite's fields", () => {
    const empty = junit("vitest-4.1.12-junit-no-tests.xml");
    for (const suite of ["integration", "e2e"] as const) {
      const v = suiteVerdict(suite, 0, [{ path: `reports/${suite}.xml`, xml: empty }]);
      expect(v.ok).toBe(false);
      expect(v.tests?.total).toBe(0);
      expect(v.findings.map((f) => [f.rule, f.severity, f.location.path])).toEqual([["junit-no-test-cases", "high", `reports/${suite}.xml`]]);
      expect(v.summary).toContain(`${suite} tests: the ${suite} suite's JUnit report reports/${suite}.xml holds no test cases: no test ran, so the tests cannot pass.`);
      expect(v.summary).toContain(`tests.${suite}.command`);
      expect(v.summary).toContain(`tests.optOut.${suite}: "<reason>"`);
    }
  });

  it("fails when one of several reports holds no test case, even if another has passing tests", () => {
    const v = suiteVerdict("e2e", 0, [
      { path: "a.xml", xml: junit("vitest-4.1.12-junit-pass.xml") },
      { path: "b.xml", xml: junit("vitest-4.1.12-junit-no-tests.xml") },
    ]);
    expect(v.ok).toBe(false);
    expect(v.findings.map((f) => f.location.path)).toEqual(["b.xml"]);
  });

  it("passes with no finding when every report has test cases", () => {
    expect(suiteVerdict("integration", 0, [{ path: "a.xml", xml: junit("vitest-4.1.12-junit-pass.xml") }]).findings).toEqual([]);
  });

  it("merges several reports", () => {
    const pass = junit("vitest-4.1.12-junit-pass.xml");
    const one = suiteVerdict("integration", 0, [{ path: "a.xml", xml: pass }]).tests!;
    const two = suiteVerdict("integration", 0, [
      { path: "a.xml", xml: pass },
      { path: "b.xml", xml: pass },
    ]).tests!;
    expect(two.total).toBe(one.total * 2);
  });
});
