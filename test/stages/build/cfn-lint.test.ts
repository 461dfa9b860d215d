import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { scanCompleted } from "../../../src/stages/build/outcome.dagger.js";
import { validateConfig } from "../../../src/config/load.js";
import { parseReport } from "../../../src/findings/parse.js";
import { evaluateGate } from "../../../src/policy/gate.js";

const report = readFileSync(new URL("./fixtures/cfn-lint-1.51.0-errors.json", import.meta.url), "utf8");

describe("cfn-lint output as the IaC check reads it", () => {
  it("parses real cfn-lint JSON into blocking misconfiguration findings at the template lines", () => {
    const set = parseReport(report, { file: "cfn-lint.json", tool: "cfn-lint", format: "cfn-lint-json" });
    expect(set.tool).toBe("cfn-lint");
    expect(set.findings.map((f) => [f.rule, f.severity, f.category, f.location.path, f.location.startLine])).toEqual([
      ["E3012", "high", "misconfiguration", "infra/bad.yaml", 6],
      ["E3002", "high", "misconfiguration", "infra/bad.yaml", 7],
      ["E6101", "high", "misconfiguration", "infra/bad.yaml", 12],
    ]);
    const gate = evaluateGate([set], validateConfig({}).policy, { today: new Date("2026-01-01") });
    expect(gate.passed).toBe(false);
    expect(gate.blocking).toHaveLength(3);
  });
});

describe("scanner exit codes", () => {
  it("cfn-lint: even codes are a bit mask of what it found (observed 2 for errors, 4 for warnings); odd codes are cfn-lint failing (observed 1)", () => {
    expect([0, 2, 4, 6, 8, 14].every(scanCompleted.cfnLint)).toBe(true);
    expect([1, 3, 33].some(scanCompleted.cfnLint)).toBe(false);
  });

  it("semgrep: 0, 1 and 3 (some targets unparsable) complete; 2 (fatal) and 4+ (rules, config) do not", () => {
    expect([0, 1, 3].every(scanCompleted.semgrep)).toBe(true);
    expect([2, 4, 5, 7, 8, 13, 14].some(scanCompleted.semgrep)).toBe(false);
  });

  it("gitleaks: 0 and 1 (leaks found) complete; trivy: only 0", () => {
    expect([0, 1].every(scanCompleted.gitleaks)).toBe(true);
    expect(scanCompleted.gitleaks(126)).toBe(false);
    expect(scanCompleted.trivy(0)).toBe(true);
    expect(scanCompleted.trivy(1)).toBe(false);
  });
});
