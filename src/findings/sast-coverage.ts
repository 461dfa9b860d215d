// A SAST run that executed no rule cannot pass. What a semgrep report shows about the rules that ran:
// its JSON has an error with code 7 when no rule could be loaded (an empty or invalid config: "No
// config given", "invalid configuration file found") and lists the files it scanned in
// `paths.scanned`; its SARIF lists the loaded rules in `runs[].tool.driver.rules` but not the files.
// One owner for the judgement: the semgrep JSON and SARIF parsers call it, so the Dagger build,
// `dpra scan` and `dpra gate` judge a report alike.
import type { Finding } from "./model.js";
import { fingerprintOf } from "./normalize.js";

/** Rule of the finding that a SAST report with no rule loaded raises. */
export const SAST_NO_RULES_RULE = "sast-no-rules";
/** Rule of the finding that a SAST report with rules but not a single scanned file raises. */
export const SAST_NO_FILES_RULE = "sast-no-files-scanned";

/** semgrep's error code (and exit code) for a config that yields no rule: missing, empty or invalid. */
export const SEMGREP_MISSING_CONFIG_CODE = 7;

/** What a report says about the run's coverage; a field is undefined when the report does not say. */
export interface SastCoverage {
  rulesLoaded?: number;
  filesScanned?: number;
}

/**
 * The blocking finding of a run that executed no rule, or none. Zero rules loaded is
 * `sast-no-rules`; rules loaded but no file scanned (no file in the rules' languages, or every file
 * excluded) is `sast-no-files-scanned`. Both are critical, like a scan that did not run
 * (tool-failure.ts): they block under any `failOn.sast` but `never`, and only an allowlist entry with
 * a reason and an expiry accepts one. `config` names the rules the run was given, when the caller knows.
 */
export function sastCoverageFindings(coverage: SastCoverage, config?: string): Finding[] {
  const rules = config ?? "the config it was given";
  if (coverage.rulesLoaded === 0) {
    return [
      coverageFinding(
        SAST_NO_RULES_RULE,
        `semgrep loaded no rules from ${rules}, so no SAST rule ran and the scan cannot pass. ` +
          "Point security.semgrep.rules in dpra.yaml at semgrep rule files or folders (YAML holding a non-empty rules list, each rule valid), " +
          "name registry rulesets in security.semgrep.rulesets, or remove both to scan with the bundled dpra-default rules.",
        "No SAST rule was loaded",
      ),
    ];
  }
  if (coverage.filesScanned === 0) {
    return [
      coverageFinding(
        SAST_NO_FILES_RULE,
        `semgrep scanned no file of the source with ${config ?? "its rules"}, so no SAST rule ran on the code: the rules are for languages the source does not have ` +
          "(or hold no rule), or security.semgrep.exclude leaves nothing to scan. " +
          "Add rules for the source's languages to security.semgrep.rules or security.semgrep.rulesets in dpra.yaml, or narrow security.semgrep.exclude.",
        "No file was scanned",
      ),
    ];
  }
  return [];
}

function coverageFinding(rule: string, message: string, title: string): Finding {
  return { tool: "semgrep", category: "sast", rule, severity: "critical", message, location: {}, fingerprint: fingerprintOf("semgrep", rule), title };
}
