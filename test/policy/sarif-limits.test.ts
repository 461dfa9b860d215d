// Level 4: SARIF for GitHub code scanning within its limits (25,000 results and rules per run),
// from a 30,000-finding gate run through the CLI, and driver.version from the tools' reports.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { parseReportFile } from "../../src/findings/parse.js";
import { validateConfig } from "../../src/config/load.js";
import { evaluateGate } from "../../src/policy/gate.js";
import { buildSarif, SARIF_MAX_RESULTS_PER_RUN, SARIF_MAX_RULES_PER_RUN } from "../../src/policy/sarif.js";
import { fixturePath } from "../support/fixtures.js";

interface SarifRun {
  tool: { driver: { name: string; version?: string; rules: { id: string }[] } };
  results: { ruleId: string; level: string; properties: { severity: string } }[];
  properties?: Record<string, { results: { total: number; kept: number }; rules: { total: number; kept: number }; note: string }>;
}

async function dpra(args: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, now: () => new Date("2026-06-15T00:00:00Z") });
  return { code, stdout, stderr };
}

/** A SARIF report of one tool: `high` error results first in the file order given, then notes, each its own rule. */
function sarifReport(name: string, high: number, low: number, sharedRules = false): string {
  const results = [];
  for (let i = 0; i < high + low; i++) {
    // Interleave, so the kept ones are chosen by severity and not by position.
    const isHigh = i % 3 === 0 ? i / 3 < high : false;
    results.push({
      ruleId: sharedRules ? `R${i % 100}` : `R${i}`,
      level: isHigh ? "error" : "note",
      message: { text: `finding ${i}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: `src/f${i}.ts` }, region: { startLine: 1 } } }],
    });
  }
  return JSON.stringify({ version: "2.1.0", runs: [{ tool: { driver: { name, version: "1.2.3" } }, results }] });
}

describe("SARIF within GitHub's limits", () => {
  it("keeps at most 25,000 results and 25,000 rules per run, the most severe, and notes the cut", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dpra-sarif-"));
    // Tool one: 30,000 results with 30,000 rules (10,000 high). Tool two: 30,000 results over 100 rules.
    writeFileSync(path.join(dir, "one.sarif"), sarifReport("one", 10_000, 20_000));
    writeFileSync(path.join(dir, "two.sarif"), sarifReport("two", 0, 30_000, true));
    writeFileSync(path.join(dir, "dpra.yaml"), "policy:\n  failOn: { quality: never }\n");
    const run = await dpra(["gate", "one.sarif", "two.sarif", "-f", "sarif", "-o", "out/gate.sarif", "--summary", "summary.md"], dir);
    expect(run.code).toBe(0);
    const log = JSON.parse(readFileSync(path.join(dir, "out/gate.sarif"), "utf8")) as { runs: SarifRun[] };
    expect(log.runs.map((r) => r.tool.driver.name)).toEqual(["one", "two"]);
    for (const r of log.runs) {
      expect(r.results.length).toBeLessThanOrEqual(SARIF_MAX_RESULTS_PER_RUN);
      expect(r.tool.driver.rules.length).toBeLessThanOrEqual(SARIF_MAX_RULES_PER_RUN);
      expect(r.tool.driver.version).toBe("1.2.3");
    }
    const [one, two] = log.runs as [SarifRun, SarifRun];
    expect(one.results).toHaveLength(25_000);
    expect(one.tool.driver.rules).toHaveLength(25_000);
    // Every high finding is kept; only low ones are cut.
    expect(one.results.filter((r) => r.properties.severity === "high")).toHaveLength(10_000);
    expect(new Set(one.results.map((r) => r.ruleId))).toEqual(new Set(one.tool.driver.rules.map((r) => r.id)));
    expect(one.properties?.["dpra/truncated"]).toMatchObject({ results: { total: 30_000, kept: 25_000 }, rules: { total: 30_000, kept: 25_000 } });
    expect(two.results).toHaveLength(25_000);
    // Equal severities: the order is by rule, so the cut drops whole rules at the end (84 of 100 remain).
    const keptRules = two.tool.driver.rules.length;
    expect(keptRules).toBe(new Set(two.results.map((r) => r.ruleId)).size);
    expect(two.properties?.["dpra/truncated"]).toMatchObject({ results: { total: 30_000, kept: 25_000 }, rules: { total: 100, kept: keptRules } });
    const summary = readFileSync(path.join(dir, "summary.md"), "utf8");
    expect(summary).toContain("run one: 25000 of 30000 results and 25000 of 30000 rules kept");
    expect(summary).toContain(`run two: 25000 of 30000 results and ${keptRules} of 100 rules kept`);
    expect(run.stderr).toContain("dpra gate: SARIF run one: kept the 25000 most severe of 30000 results and 25000 of 30000 rules");
  }, 60_000);

  it("leaves a run within the limits untouched and without a truncation note", async () => {
    const set = await parseReportFile(fixturePath("gitleaks", "gitleaks-sarif_simple.sarif"));
    const { text, truncation } = buildSarif(evaluateGate([set], validateConfig({}).policy, { today: new Date("2026-06-15") }));
    expect(truncation).toEqual([]);
    const run = (JSON.parse(text) as { runs: SarifRun[] }).runs[0]!;
    expect(run.properties).toBeUndefined();
    expect(run.results).toHaveLength(set.findings.length);
    // driver.version from the tool's own report (semanticVersion of gitleaks' SARIF).
    expect(run.tool.driver.version).toBe("v8.0.0");
  });

  it("takes driver.version from semgrep JSON and leaves it out when the report has none", async () => {
    const sets = await Promise.all([
      parseReportFile(fixturePath("semgrep", "juice-shop-semgrep-report.json")),
      parseReportFile(fixturePath("gitleaks", "gitleaks-json_simple.json")),
    ]);
    const runs = (JSON.parse(buildSarif(evaluateGate(sets, validateConfig({}).policy, { today: new Date("2026-06-15") })).text) as { runs: SarifRun[] }).runs;
    expect(runs.map((r) => [r.tool.driver.name, r.tool.driver.version])).toEqual([
      ["gitleaks", undefined],
      ["semgrep", "1.154.0"],
    ]);
  });
});
