// The semgrep command line as a pure function (no Dagger import): the Dagger recipe (semgrep.ts)
// passes its container paths, `dpra scan` passes host paths. The one copy of the command line.

export const SEMGREP_SOURCE_PATH = "/src";
export const SEMGREP_RULES_PATH = "/rules";
export const SEMGREP_REPORT_DIR = "/reports";
export const SEMGREP_JSON_REPORT = `${SEMGREP_REPORT_DIR}/semgrep.json`;
export const SEMGREP_SARIF_REPORT = `${SEMGREP_REPORT_DIR}/semgrep.sarif`;

/** The severities semgrep accepts in `--severity` (legacy and current scales). */
export const SEMGREP_SEVERITIES = ["INFO", "WARNING", "ERROR", "LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export type SemgrepSeverity = (typeof SEMGREP_SEVERITIES)[number];

/** Where the command line points: the container's paths by default, host paths for `dpra scan`. */
export interface SemgrepPaths {
  rulesDir: string;
  jsonReport: string;
  sarifReport: string;
}

export const SEMGREP_CONTAINER_PATHS: SemgrepPaths = {
  rulesDir: SEMGREP_RULES_PATH,
  jsonReport: SEMGREP_JSON_REPORT,
  sarifReport: SEMGREP_SARIF_REPORT,
};

export interface SemgrepArgsOptions {
  /** Rule files or folders inside the source, relative to it (semgrep runs in the source root). */
  rules?: string[];
  /** Whether a rules directory from outside the source is given (at `paths.rulesDir`). */
  rulesDir?: boolean;
  /** Registry rulesets such as `p/default` (downloaded, so they need network access). */
  rulesets?: string[];
  exclude?: string[];
  severities?: string[];
  /**
   * Report rule ids as the rule files write them (`--no-rewrite-rule-ids`). Without it semgrep
   * prefixes each local rule's id with its file's folder, which for a rules directory outside the
   * source depends on where it is installed (`/rules` in the container, a host path for `dpra scan`).
   */
  ruleIdsAsWritten?: boolean;
}

/**
 * The semgrep command line, run from the source directory (target `.`, so report paths are
 * relative to the source). Metrics and the version check are off, so a run with local rules makes
 * no network call. One run writes both the JSON and the SARIF report.
 */
export function semgrepArgs(opts: SemgrepArgsOptions, paths: SemgrepPaths = SEMGREP_CONTAINER_PATHS): string[] {
  const configs = [...(opts.rules ?? []), ...(opts.rulesDir ? [paths.rulesDir] : []), ...(opts.rulesets ?? [])];
  if (configs.length === 0) {
    throw new Error(
      "semgrep: no rules given. Set local rules (security.semgrep.rules in dpra.yaml, or the rules/rulesDir arguments) " +
        "or registry rulesets such as p/default (needs network access). The dpra build uses its bundled rules when none are configured.",
    );
  }
  const args = ["semgrep", "scan", "--metrics=off", "--disable-version-check", "--quiet"];
  for (const c of configs) args.push("--config", c);
  if (opts.ruleIdsAsWritten) args.push("--no-rewrite-rule-ids");
  for (const e of opts.exclude ?? []) args.push("--exclude", e);
  for (const s of opts.severities ?? []) {
    const upper = s.toUpperCase();
    if (!(SEMGREP_SEVERITIES as readonly string[]).includes(upper)) {
      throw new Error(`semgrep: unknown severity "${s}"; expected one of ${SEMGREP_SEVERITIES.join(", ")}.`);
    }
    args.push("--severity", upper);
  }
  args.push(`--json-output=${paths.jsonReport}`, `--sarif-output=${paths.sarifReport}`, ".");
  return args;
}
