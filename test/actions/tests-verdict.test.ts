import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { suiteVerdict } from "../../src/actions/tests/verdict.js";
import { fixturePath } from "../support/fixtures.js";

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

  it("fails when the report is missing or is not JUnit", () => {
    expect(suiteVerdict("integration", 0, [{ path: "reports/junit.xml" }]).summary).toBe(
      "integration tests: no JUnit report at reports/junit.xml: make the test command write it there, or set the suite's `reports` in dpra.yaml",
    );
    const bad = suiteVerdict("integration", 0, [{ path: "r.xml", xml: "<html/>" }]);
    expect(bad.ok).toBe(false);
    expect(bad.summary).toMatch(/r\.xml: .*not a JUnit report/);
  });

  it("fails a suite that ran no test case", () => {
    const v = suiteVerdict("e2e", 0, [{ path: "r.xml", xml: "<testsuites></testsuites>" }]);
    expect(v).toMatchObject({ ok: false, summary: "e2e tests ran no test case: check the test runner's JUnit reporter settings" });
  });

  it("merges several reports", () => {
    const pass = junit("vitest-4.1.12-junit-pass.xml");
    const one = suiteVerdict("integration", 0, [{ path: "a.xml", xml: pass }]).tests!;
    const two = suiteVerdict("integration", 0, [{ path: "a.xml", xml: pass }, { path: "b.xml", xml: pass }]).tests!;
    expect(two.total).toBe(one.total * 2);
  });
});
