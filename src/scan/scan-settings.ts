// Which rules and scanners the build stage's scans use, from dpra.yaml, without a Dagger import:
// the Dagger actions (scanners.ts, iac.ts) and `dpra scan` read the same settings.
import type { DpraConfig } from "../config/schema.js";

/**
 * The semgrep rules this project writes and ships (`dpra.*` ids), relative to the repository root:
 * the Dagger build mounts them from the root module's source, and `dpra scan` finds them next to its
 * own files (the CLI package copies them into dist/). Only the YAML files are rules; the other files
 * in the folder are their `semgrep --test` cases.
 */
export const BUNDLED_SEMGREP_RULES_DIR = "modules/semgrep/rules/dpra-default";

export interface SemgrepRuleSelection {
  /** Local rule files or folders, relative to the source. */
  rules: string[];
  /** Registry rulesets (downloaded: opt-in through security.semgrep.rulesets). */
  rulesets: string[];
  /** No rules and no rulesets are configured: scan with the bundled rules, so SAST never needs the network. */
  bundled: boolean;
}

/** The semgrep rules of a scan: the configured local rules and rulesets, else the bundled rules. */
export function semgrepRuleSelection(config: DpraConfig): SemgrepRuleSelection {
  const s = config.security.semgrep;
  return { rules: s.rules, rulesets: s.rulesets, bundled: s.rules.length === 0 && s.rulesets.length === 0 };
}

/** The rules a scan was given, in dpra.yaml's terms, for the finding of a run that executed none. */
export function semgrepConfigLabel(selection: SemgrepRuleSelection): string {
  if (selection.bundled) return `the bundled dpra-default rules (${BUNDLED_SEMGREP_RULES_DIR}; dpra.yaml sets no security.semgrep.rules or rulesets)`;
  const parts = [
    ...(selection.rules.length > 0 ? [`security.semgrep.rules [${selection.rules.join(", ")}]`] : []),
    ...(selection.rulesets.length > 0 ? [`security.semgrep.rulesets [${selection.rulesets.join(", ")}]`] : []),
  ];
  return parts.join(" and ");
}

/** The trivy scanners the SCA action runs: misconfigurations are left to the IaC check, so that each is reported once. */
export function scaScanners(config: DpraConfig): string[] {
  return config.security.trivy.scanners.filter((s) => s !== "misconfig");
}
