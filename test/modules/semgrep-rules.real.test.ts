// Level 1 (real tool): the bundled semgrep rules (modules/semgrep/rules/dpra-default) under the
// pinned semgrep: `semgrep --test` passes every rule's positive and negative cases, and a scan with
// the folder as its config loads exactly the YAML rules (never the test cases next to them).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { BUNDLED_SEMGREP_RULES_DIR } from "../../src/scan/scan-settings.js";
import { TOOLS } from "../../src/tools/catalog.js";
import { repoRoot } from "../support/fixtures.js";
import { describeReal, type RealTool } from "../support/real.js";

const RULES = path.join(repoRoot, BUNDLED_SEMGREP_RULES_DIR);
/** The rules this project ships; a new rule changes this number on purpose. */
const RULE_COUNT = 22;

const Rule = z.object({
  id: z.string(),
  languages: z.array(z.string()).min(1),
  severity: z.enum(["ERROR", "WARNING"]),
  message: z.string().min(40),
  metadata: z.object({ category: z.literal("security"), cwe: z.string().regex(/^CWE-\d+: /) }).loose(),
});
const RuleFile = z.object({ rules: z.array(Rule).min(1) });

const ruleFiles = readdirSync(RULES)
  .filter((f) => f.endsWith(".yaml"))
  .sort();
const rules = ruleFiles.flatMap((f) => RuleFile.parse(parse(readFileSync(path.join(RULES, f), "utf8"))).rules.map((r) => ({ ...r, file: f })));

const TestRun = z.object({
  config_missing_tests: z.array(z.unknown()),
  config_with_errors: z.array(z.unknown()),
  results: z.record(
    z.string(),
    z.object({
      checks: z.record(
        z.string(),
        z.object({
          passed: z.boolean(),
          matches: z.record(z.string(), z.object({ expected_lines: z.array(z.number()), reported_lines: z.array(z.number()) })),
          errors: z.array(z.unknown()),
        }),
      ),
    }),
  ),
});

function semgrep(tool: RealTool, args: string[]) {
  const run = spawnSync(tool.bin, args, { cwd: repoRoot, encoding: "utf8", timeout: 300_000, env: { ...process.env, ...TOOLS.semgrep.runEnv } });
  if (run.error) throw run.error;
  return run;
}

describeReal("semgrep", (tool) => {
  it(`ships ${RULE_COUNT} rules with dpra. ids, a CWE, and ERROR severity for injection, deserialisation and TLS`, () => {
    expect(rules).toHaveLength(RULE_COUNT);
    expect(rules.filter((r) => !r.id.startsWith("dpra."))).toEqual([]);
    expect(new Set(rules.map((r) => r.id)).size).toBe(RULE_COUNT);
    const blocking = /injection|built-from|from-values|eval|deserialisation|tls/;
    expect(rules.filter((r) => (r.severity === "ERROR") !== blocking.test(r.id)).map((r) => r.id)).toEqual([]);
    const languages = new Set(rules.flatMap((r) => r.languages));
    for (const l of ["javascript", "typescript", "python", "java", "dockerfile"]) expect(languages).toContain(l);
  });

  it("semgrep --test passes every rule, each with positive and negative cases", () => {
    const run = semgrep(tool, ["--test", "--json", "--metrics=off", BUNDLED_SEMGREP_RULES_DIR]);
    // --test can exit 0 when a rule file fails to load: the JSON says what loaded.
    const report = TestRun.parse(JSON.parse(run.stdout));
    expect(report.config_with_errors).toEqual([]);
    expect(report.config_missing_tests).toEqual([]);
    const checks = Object.values(report.results).flatMap((r) => Object.entries(r.checks));
    expect(checks.map(([id]) => id).sort()).toEqual(rules.map((r) => r.id).sort());
    expect(checks.filter(([, c]) => !c.passed || c.errors.length > 0).map(([id, c]) => [id, c.matches, c.errors])).toEqual([]);
    for (const [id, check] of checks) {
      const cases = Object.entries(check.matches);
      expect(cases.flatMap(([, m]) => m.expected_lines).length, `${id}: positive cases`).toBeGreaterThan(0);
      const negatives = cases.filter(([file]) => readFileSync(file, "utf8").includes(`ok: ${id}\n`));
      expect(negatives.length, `${id}: negative cases (ok: annotations)`).toBeGreaterThan(0);
    }
    expect(run.status).toBe(0);
  }, 300_000);

  it("a scan with the folder as config loads only its YAML rules, and each fires on its own cases", () => {
    const run = semgrep(tool, ["scan", "--metrics=off", "--quiet", "--no-rewrite-rule-ids", "--json", "--time", "--config", BUNDLED_SEMGREP_RULES_DIR, BUNDLED_SEMGREP_RULES_DIR]);
    const report = z
      .object({ results: z.array(z.object({ check_id: z.string() })), errors: z.array(z.unknown()), time: z.object({ rules: z.array(z.unknown()) }) })
      .parse(JSON.parse(run.stdout));
    expect(report.errors).toEqual([]);
    expect(report.time.rules).toHaveLength(RULE_COUNT);
    expect([...new Set(report.results.map((r) => r.check_id))].sort()).toEqual(rules.map((r) => r.id).sort());
    expect(run.status).toBe(0);
  }, 300_000);
});
