// The gitleaks container recipe, as plain functions. The module object (index.ts) and the dpra root
// module both call these, so the recipe exists once.
import { dag, ReturnType, type Container, type Directory, type File } from "@dagger.io/dagger";
import { gitleaksImageRef } from "./pin.js";

export { GITLEAKS_REPOSITORY, GITLEAKS_DEFAULT_VERSION, GITLEAKS_DIGESTS, gitleaksImageRef } from "./pin.js";

export const GITLEAKS_SOURCE_PATH = "/src";
export const GITLEAKS_REPORT_DIR = "/reports";
export const GITLEAKS_CONFIG_PATH = "/etc/gitleaks/gitleaks.toml";
export const GITLEAKS_IGNORE_PATH = "/etc/gitleaks/.gitleaksignore";
export const GITLEAKS_BASELINE_PATH = "/etc/gitleaks/baseline.json";

/** `dir` scans the files as they are; `git` scans every commit of the history (needs `.git`). */
export type GitleaksMode = "dir" | "git";
/** The report formats gitleaks writes that dpra parses. */
export type GitleaksFormat = "json" | "sarif";

export interface GitleaksOptions {
  mode: GitleaksMode;
  /** A gitleaks TOML config (rules and allowlists). Without it gitleaks reads `<source>/.gitleaks.toml` or its default rules. */
  config?: File;
  /** A `.gitleaksignore` file of finding fingerprints to skip. */
  ignoreFile?: File;
  /** A previous gitleaks JSON report: findings in it are not reported again. */
  baseline?: File;
  /** `git log` options for `git` mode, e.g. `--since=2024-01-01` or `main..HEAD`. */
  logOpts?: string;
}


/** The container gitleaks runs in: the caller's container when given, else the pinned image. */
export function gitleaksContainer(version?: string, container?: Container): Container {
  return container ?? dag.container().from(gitleaksImageRef(version));
}

export function gitleaksReportPath(format: GitleaksFormat): string {
  return `${GITLEAKS_REPORT_DIR}/gitleaks.${format === "sarif" ? "sarif" : "json"}`;
}

/** The gitleaks command line. Redaction is always on: a secret never reaches a report or a log. */
export function gitleaksArgs(
  format: GitleaksFormat,
  opts: { mode: GitleaksMode; config?: boolean; ignoreFile?: boolean; baseline?: boolean; logOpts?: string },
): string[] {
  const args = [
    "gitleaks",
    opts.mode,
    "--no-banner",
    "--no-color",
    "--redact",
    "--report-format",
    format,
    "--report-path",
    gitleaksReportPath(format),
  ];
  if (opts.config) args.push("--config", GITLEAKS_CONFIG_PATH);
  if (opts.ignoreFile) args.push("--gitleaks-ignore-path", GITLEAKS_IGNORE_PATH);
  if (opts.baseline) args.push("--baseline-path", GITLEAKS_BASELINE_PATH);
  if (opts.mode === "git" && opts.logOpts) args.push(`--log-opts=${opts.logOpts}`);
  // Target `.` from the source workdir, so that report paths are relative to the source.
  args.push(".");
  return args;
}

/**
 * Runs one gitleaks scan writing a report in `format`. The exec accepts any exit code: 1 (leaks
 * found) is a result, not a crash. Read the report at `gitleaksReportPath(format)` and the exit code
 * from the returned container.
 */
export function gitleaksScan(base: Container, source: Directory, opts: GitleaksOptions, format: GitleaksFormat): Container {
  let ctr = base
    .withMountedDirectory(GITLEAKS_SOURCE_PATH, source)
    .withWorkdir(GITLEAKS_SOURCE_PATH)
    // The source is owned by another user than the scanner: let git read it in `git` mode.
    .withEnvVariable("GIT_CONFIG_COUNT", "1")
    .withEnvVariable("GIT_CONFIG_KEY_0", "safe.directory")
    .withEnvVariable("GIT_CONFIG_VALUE_0", "*");
  if (opts.config) ctr = ctr.withMountedFile(GITLEAKS_CONFIG_PATH, opts.config);
  if (opts.ignoreFile) ctr = ctr.withMountedFile(GITLEAKS_IGNORE_PATH, opts.ignoreFile);
  if (opts.baseline) ctr = ctr.withMountedFile(GITLEAKS_BASELINE_PATH, opts.baseline);
  const args = gitleaksArgs(format, {
    mode: opts.mode,
    config: opts.config !== undefined,
    ignoreFile: opts.ignoreFile !== undefined,
    baseline: opts.baseline !== undefined,
    logOpts: opts.logOpts,
  });
  // An empty directory instead of `mkdir`: works in any image, even one without a shell.
  return ctr.withDirectory(GITLEAKS_REPORT_DIR, dag.directory()).withExec(args, { expect: ReturnType.Any });
}
