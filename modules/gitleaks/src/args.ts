// The gitleaks command line as a pure function (no Dagger import): the Dagger recipe (gitleaks.ts)
// passes its container paths, `dpra scan` passes host paths. The one copy of the command line.

export const GITLEAKS_SOURCE_PATH = "/src";
export const GITLEAKS_REPORT_DIR = "/reports";
export const GITLEAKS_CONFIG_PATH = "/etc/gitleaks/gitleaks.toml";
export const GITLEAKS_IGNORE_PATH = "/etc/gitleaks/.gitleaksignore";
export const GITLEAKS_BASELINE_PATH = "/etc/gitleaks/baseline.json";

/** `dir` scans the files as they are; `git` scans every commit of the history (needs `.git`). */
export type GitleaksMode = "dir" | "git";
/** The report formats gitleaks writes that dpra parses. */
export type GitleaksFormat = "json" | "sarif";

/** Where the command line points: the container's paths by default, host paths for `dpra scan`. */
export interface GitleaksPaths {
  reportDir: string;
  config: string;
  ignoreFile: string;
  baseline: string;
}

export const GITLEAKS_CONTAINER_PATHS: GitleaksPaths = {
  reportDir: GITLEAKS_REPORT_DIR,
  config: GITLEAKS_CONFIG_PATH,
  ignoreFile: GITLEAKS_IGNORE_PATH,
  baseline: GITLEAKS_BASELINE_PATH,
};

export function gitleaksReportPath(format: GitleaksFormat, reportDir: string = GITLEAKS_REPORT_DIR): string {
  return `${reportDir}/gitleaks.${format === "sarif" ? "sarif" : "json"}`;
}

/**
 * The gitleaks command line, run from the source directory (target `.`, so report paths are
 * relative to the source). Redaction is always on: a secret never reaches a report or a log.
 */
export function gitleaksArgs(
  format: GitleaksFormat,
  opts: { mode: GitleaksMode; config?: boolean; ignoreFile?: boolean; baseline?: boolean; logOpts?: string },
  paths: GitleaksPaths = GITLEAKS_CONTAINER_PATHS,
): string[] {
  const args = ["gitleaks", opts.mode, "--no-banner", "--no-color", "--redact", "--report-format", format, "--report-path", gitleaksReportPath(format, paths.reportDir)];
  if (opts.config) args.push("--config", paths.config);
  if (opts.ignoreFile) args.push("--gitleaks-ignore-path", paths.ignoreFile);
  if (opts.baseline) args.push("--baseline-path", paths.baseline);
  if (opts.mode === "git" && opts.logOpts) args.push(`--log-opts=${opts.logOpts}`);
  args.push(".");
  return args;
}
