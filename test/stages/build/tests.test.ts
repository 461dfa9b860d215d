import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { collectTestReports } from "../../../src/stages/build/tests.js";
import { validateConfig } from "../../../src/config/load.js";
import { evaluateGate } from "../../../src/policy/gate.js";
import { fixturePath } from "../../support/fixtures.js";

const xml = (name: string) => ({ path: `reports/${name}`, xml: readFileSync(fixturePath("junit", name), "utf8") });
const run = (exitCode: number, output = "") => ({ command: "npm test", exitCode, output });
const gate = (set: Parameters<typeof evaluateGate>[0][number]) => evaluateGate([set], validateConfig({}).policy, { today: new Date("2026-01-01") });

describe("unit test outcome", () => {
  it("counts vitest's failures, including the import error reported as a test case, and blocks", () => {
    const out = collectTestReports([xml("vitest-4.1.12-junit-failures.xml")], [], run(1));
    expect(out.tests).toMatchObject({ passed: 2, failed: 3, skipped: 2, errors: 0, total: 7 });
    expect(out.tests.failures.map((f) => f.name)).toEqual(["vt/broken-import.test.ts", "math > subtracts", "math > throws a TypeError"]);
    expect(out.set.tests).toEqual({ passed: 2, failed: 3, skipped: 2, errors: 0, total: 7 });
    expect(out.set.findings.map((f) => f.rule)).not.toContain("test-runner-failed");
    const result = gate(out.set);
    expect(result.passed).toBe(false);
    expect(result.blocking).toHaveLength(3);
  });

  it("passes a green run", () => {
    const out = collectTestReports([xml("vitest-4.1.12-junit-pass.xml")], [], run(0));
    expect(out.set.findings).toEqual([]);
    expect(gate(out.set).passed).toBe(true);
  });

  it("fails when the runner exits non-zero although its XML shows no failure (a jest suite that did not load)", () => {
    const out = collectTestReports([xml("jest-30.5.2-jest-junit-17.0.0-pass.xml")], [], run(1, "Test Suites: 1 failed, 1 passed\nCannot find module './missing'"));
    expect(out.set.findings).toHaveLength(1);
    expect(out.set.findings[0]).toMatchObject({ rule: "test-runner-failed", category: "test", severity: "high" });
    expect(out.set.findings[0]!.message).toContain("Cannot find module './missing'");
    expect(gate(out.set).passed).toBe(false);
  });

  it("counts jest-junit's suite error when reportTestSuiteErrors is on", () => {
    const out = collectTestReports([xml("jest-30.5.2-jest-junit-17.0.0-failures-reportTestSuiteErrors.xml")], [], run(1));
    expect(out.tests).toMatchObject({ failed: 2, errors: 1, total: 7 });
    expect(out.tests.failures.map((f) => f.name)).toContain("jt/broken-import.test.js");
  });

  it("merges several reports (Surefire writes one per class)", () => {
    const out = collectTestReports([xml("vitest-4.1.12-junit-pass.xml"), xml("jest-30.5.2-jest-junit-17.0.0-failures.xml")], [], run(1));
    expect(out.tests).toMatchObject({ passed: 4, failed: 2, skipped: 1, total: 7 });
  });

  it("turns a report the run did not write into a blocking finding naming the path", () => {
    const out = collectTestReports([], ["reports/junit.xml"], run(127, "sh: vitest: not found"));
    expect(out.set.findings.map((f) => [f.rule, f.location.path])).toEqual([["junit-report-missing", "reports/junit.xml"]]);
    expect(out.set.findings[0]!.message).toContain("exit 127");
    expect(gate(out.set).passed).toBe(false);
  });
});
