// Which rules and scanners the build stage's scans use, from dpra.yaml, without a Dagger import:
// the Dagger actions (scanners.ts, iac.ts) and `dpra scan` read the same settings.
import type { DpraConfig } from "../config/schema.js";

/** Registry rulesets used when dpra.yaml names no rules: semgrep's default set (needs network access). */
export const DEFAULT_SEMGREP_RULESETS = ["p/default"];

/** The semgrep rules of a scan: the configured local rules and rulesets, else the default selection. */
export function semgrepRuleSelection(config: DpraConfig): { rules: string[]; rulesets: string[] } {
  const s = config.security.semgrep;
  const rulesets = s.rules.length === 0 && s.rulesets.length === 0 ? DEFAULT_SEMGREP_RULESETS : s.rulesets;
  return { rules: s.rules, rulesets };
}

/** The trivy scanners the SCA action runs: misconfigurations are left to the IaC check, so that each is reported once. */
export function scaScanners(config: DpraConfig): string[] {
  return config.security.trivy.scanners.filter((s) => s !== "misconfig");
}
