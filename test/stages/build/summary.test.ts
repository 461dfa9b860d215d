import { describe, expect, it } from "vitest";
import { actionsTable, failureMessage, stageSummary, testCounts, testsLine } from "../../../src/stages/build/summary.js";
import type { BuildActionOutcome } from "../../../src/stages/build/outcome.dagger.js";
import type { BuildStep } from "../../../src/pipeline/build-steps.js";

const outcome = (action: BuildStep, findings: number, failures: string[] = []): BuildActionOutcome => ({
  action,
  sets: [
    {
      tool: action === "secrets" ? "gitleaks" : "trivy",
      format: "x",
      toolErrors: [],
      findings: Array.from({ length: findings }, (_, i) => ({
        tool: "gitleaks",
        category: "secret",
        rule: "r",
        severity: "high",
        message: "m",
        location: {},
        fingerprint: String(i),
      })),
    },
  ],
  failures,
  incomplete: [],
  files: [],
});

describe("build summary", () => {
  it("tabulates actions with their tools, findings and whether they completed", () => {
    const table = actionsTable([outcome("secrets", 2), outcome("sca", 0, ["sca: trivy exited 1"])]);
    expect(table.split("\n").slice(2)).toEqual(["| secrets | gitleaks | 2 | ran |", "| sca | trivy | 0 | did not complete |"]);
  });

  it("says when no unit tests are configured, and how to add them", () => {
    expect(testsLine(undefined)).toMatch(/none ran.*tests\.unit/);
    expect(testsLine(undefined, "a library of types only: nothing runs")).toBe("Unit tests: opted out in dpra.yaml (tests.optOut.unit): a library of types only: nothing runs");
    expect(testsLine({ passed: 3, failed: 1, errors: 0, skipped: 2, total: 6 })).toBe("Unit tests: 3 passed, 1 failed, 0 errors, 2 skipped (6 total).");
  });

  it("prints every suite's opt-out with its reason", () => {
    const md = stageSummary({
      title: "dpra build",
      passed: true,
      outcomes: [],
      tests: { passed: 3, failed: 0, errors: 0, skipped: 0, total: 3 },
      optOuts: { integration: "no database and no outbound calls to test", e2e: "an API without a UI: the integration suite drives it" },
      gateMarkdown: "## gate",
    });
    expect(md).toContain(
      "Unit tests: 3 passed, 0 failed, 0 errors, 0 skipped (3 total).\nIntegration tests: opted out in dpra.yaml (tests.optOut.integration): no database and no outbound calls to test\nE2E tests: opted out in dpra.yaml (tests.optOut.e2e): an API without a UI: the integration suite drives it\n",
    );
  });

  it("puts the verdict first and lists actions that did not complete", () => {
    const md = stageSummary({ title: "dpra build", passed: false, outcomes: [outcome("sca", 0, ["sca: trivy exited 1:\nDB download failed"])], gateMarkdown: "## gate" });
    expect(md.startsWith("# dpra build: FAILED\n")).toBe(true);
    expect(md).toContain("## Actions that did not complete\n\n- sca: trivy exited 1:\n  DB download failed");
    expect(md.trimEnd().endsWith("## gate")).toBe(true);
  });

  it("fails with every blocking finding and failure, and the way out", () => {
    const msg = failureMessage(
      "dpra build",
      "failed: 1 blocking finding",
      ["[secret high] aws-access-token at app.js:3 (gitleaks): blocks"],
      ["sast: semgrep exited 2 without writing /reports/semgrep.json: boom\nmore"],
    );
    expect(msg).toContain("dpra build failed: failed: 1 blocking finding");
    expect(msg).toContain("  - sast: semgrep exited 2 without writing /reports/semgrep.json: boom\n");
    expect(msg).not.toContain("more");
    expect(msg).toContain("  - [secret high] aws-access-token at app.js:3 (gitleaks): blocks");
    expect(msg).toContain("--no-fail");
  });
});

describe("test counts", () => {
  it("sums the counts of every JUnit set and ignores the others", () => {
    const junit = (passed: number, failed: number) => ({
      tool: "junit",
      format: "junit",
      findings: [],
      toolErrors: [],
      tests: { passed, failed, skipped: 1, errors: 0, total: passed + failed + 1 },
    });
    expect(testCounts([junit(3, 1), { tool: "gitleaks", format: "x", findings: [], toolErrors: [] }, junit(2, 0)])).toEqual({
      passed: 5,
      failed: 1,
      skipped: 2,
      errors: 0,
      total: 8,
    });
    expect(testCounts([{ tool: "gitleaks", format: "x", findings: [], toolErrors: [] }])).toBeUndefined();
  });
});
