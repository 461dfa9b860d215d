// Level 4 (fixture unit test): a SAST run that executed no rule blocks, judged on the reports the
// pinned semgrep 1.178.0 wrote (test/fixtures/semgrep/semgrep-1.178.0-*, see SOURCES.md), through
// the one parser the Dagger build, `dpra scan` and `dpra gate` share.
import { describe, expect, it } from "vitest";
import { resolveConfig, validateConfig } from "../../src/config/load.js";
import { semgrepConfigLabel, semgrepRuleSelection } from "../../src/scan/scan-settings.js";
import { parseReport } from "../../src/findings/parse.js";
import { SAST_NO_FILES_RULE, SAST_NO_RULES_RULE } from "../../src/findings/sast-coverage.js";
import { evaluateGate } from "../../src/policy/gate.js";
import { fixtureText, parseFixture } from "../support/findings.js";

const today = new Date("2026-06-15T00:00:00Z");
const rulesOf = (findings: Array<{ rule: string }>) => findings.map((f) => f.rule);

describe("SAST coverage: a semgrep run that executed no rule", () => {
  it("zero rules loaded (an empty config folder, exit 7): sast-no-rules in the JSON and in the SARIF, critical, blocking", async () => {
    for (const name of ["semgrep-1.178.0-no-rules.json", "semgrep-1.178.0-no-rules.sarif"]) {
      const set = await parseFixture("semgrep", name);
      expect(set.findings, name).toMatchObject([{ tool: "semgrep", category: "sast", rule: SAST_NO_RULES_RULE, severity: "critical" }]);
      expect(set.findings[0]!.message).toContain("security.semgrep.rules");
      const gate = evaluateGate([set], validateConfig({}).policy, { today });
      expect(gate.passed, name).toBe(false);
      expect(rulesOf(gate.blocking.map((g) => g.finding))).toEqual([SAST_NO_RULES_RULE]);
    }
  });

  it("blocks under a loose sast threshold too (critical), and an allowlist entry with a reason and expiry accepts it", async () => {
    const set = await parseFixture("semgrep", "semgrep-1.178.0-no-rules.json");
    expect(evaluateGate([set], validateConfig({ policy: { failOn: { sast: "critical" } } }).policy, { today }).passed).toBe(false);
    const accepted = validateConfig({
      policy: { allowlist: [{ rule: SAST_NO_RULES_RULE, reason: "SAST runs in a separate job for this repository", expires: "2026-12-31" }] },
    }).policy;
    expect(evaluateGate([set], accepted, { today }).passed).toBe(true);
  });

  it("rules loaded but no file scanned (python rules on a JavaScript source): sast-no-files-scanned from the JSON's paths.scanned", async () => {
    const json = await parseFixture("semgrep", "semgrep-1.178.0-no-files-scanned.json");
    expect(json.findings).toMatchObject([{ rule: SAST_NO_FILES_RULE, severity: "critical", category: "sast" }]);
    expect(json.findings[0]!.message).toMatch(/scanned no file of the source .*security\.semgrep\.exclude/);
    // The SARIF of the same run lists the loaded rule and no scanned files: it cannot tell, so it does not judge.
    const sarif = await parseFixture("semgrep", "semgrep-1.178.0-no-files-scanned.sarif");
    expect(sarif.findings).toEqual([]);
  });

  it("names the rules the build and dpra scan gave semgrep, in dpra.yaml's terms", () => {
    const bundled = semgrepConfigLabel(semgrepRuleSelection(resolveConfig("name: app\n", ["package.json"])));
    expect(bundled).toBe("the bundled dpra-default rules (modules/semgrep/rules/dpra-default; dpra.yaml sets no security.semgrep.rules or rulesets)");
    const local = semgrepConfigLabel(semgrepRuleSelection(resolveConfig("security:\n  semgrep:\n    rules: [semgrep/]\n", ["package.json"])));
    expect(local).toBe("security.semgrep.rules [semgrep/]");
    const set = parseReport(fixtureText("semgrep", "semgrep-1.178.0-no-rules.json"), {
      file: "semgrep.json",
      tool: "semgrep",
      format: "semgrep-json",
      category: "sast",
      sastConfig: local,
    });
    expect(set.findings[0]!.message).toMatch(
      /^semgrep loaded no rules from security\.semgrep\.rules \[semgrep\/\], so no SAST rule ran and the scan cannot pass\. Point security\.semgrep\.rules/,
    );
  });

  it("judges nothing on reports that scanned files with rules (real and golden reports)", async () => {
    for (const name of [
      "juice-shop-semgrep-report.json",
      "defectdojo-semgrep_version_1_30_0.json",
      "semgrep-e2e-output-format-json.json",
      "semgrep-e2e-output-format-sarif.sarif",
    ]) {
      const set = await parseFixture("semgrep", name);
      expect(
        rulesOf(set.findings).filter((r) => r.startsWith("sast-no-")),
        name,
      ).toEqual([]);
    }
  });
});
