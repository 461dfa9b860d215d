// Level 4 (unit): which semgrep rules `dpra scan` passes, and where it finds the bundled ones. The
// real semgrep runs them in scan.real.test.ts and test/modules/semgrep-rules.real.test.ts.
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BUNDLED_SEMGREP_RULES_DIR } from "../../src/scan/scan-settings.js";
import { parseConfig } from "../../src/config/load.js";
import { bundledSemgrepRulesDir } from "../../src/scan/bundled-rules.js";
import { scanSteps, type StepContext } from "../../src/scan/steps.js";
import { repoRoot } from "../support/fixtures.js";

const ctx: StepContext = { source: "/app", rawDir: "/out/raw", trivyCacheDir: "/cache", offline: true, bundledSemgrepRules: "/opt/dpra/rules" };

function semgrepStep(yaml: string) {
  const { steps, notes } = scanSteps(parseConfig(yaml), [], ctx);
  return { args: steps.find((s) => s.tool === "semgrep")!.args.join(" "), notes };
}

describe("dpra scan's semgrep rules", () => {
  it("runs the bundled rules, ids as written, when dpra.yaml names no rules or rulesets, and says so", () => {
    const { args, notes } = semgrepStep("name: app\n");
    expect(args).toContain("scan --metrics=off --disable-version-check --quiet --config /opt/dpra/rules --no-rewrite-rule-ids --json-output=/out/raw/semgrep.json");
    expect(args).not.toMatch(/p\/default/);
    expect(notes).toContain(`semgrep: dpra.yaml names no rules or rulesets, so the bundled rules (${BUNDLED_SEMGREP_RULES_DIR}) ran, offline`);
  });

  it("runs only the configured rules or rulesets otherwise (registry rulesets are opt-in)", () => {
    const local = semgrepStep("name: app\nsecurity:\n  semgrep:\n    rules: [.semgrep/rules.yaml]\n");
    expect(local.args).toContain("--config .semgrep/rules.yaml --json-output=");
    expect(local.args).not.toContain("/opt/dpra/rules");
    expect(local.notes.filter((n) => n.startsWith("semgrep:"))).toEqual([]);
    const registry = semgrepStep("name: app\nsecurity:\n  semgrep:\n    rulesets: [p/owasp-top-ten]\n");
    expect(registry.args).toContain("--config p/owasp-top-ten --json-output=");
    expect(registry.args).not.toContain("--no-rewrite-rule-ids");
  });

  it("finds the bundled rules relative to its own module file, and names the folder and the fix when they are missing", () => {
    expect(bundledSemgrepRulesDir()).toBe(path.join(repoRoot, BUNDLED_SEMGREP_RULES_DIR));
    expect(existsSync(path.join(bundledSemgrepRulesDir(), "js-sql-injection.yaml"))).toBe(true);
    const elsewhere = "file:///nonexistent/dpra/dist/src/scan/bundled-rules.js";
    expect(() => bundledSemgrepRulesDir(elsewhere)).toThrow(
      `semgrep: the bundled rules are missing at /nonexistent/dpra/dist/${BUNDLED_SEMGREP_RULES_DIR}: this dpra installation is incomplete.`,
    );
  });
});
