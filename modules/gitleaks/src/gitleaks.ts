// The gitleaks container recipe, as plain functions. The module object (index.ts) and the dpra root
// module both call these, so the recipe exists once.
import { dag, ReturnType, type Container, type Directory, type File } from "@dagger.io/dagger";

export const GITLEAKS_REPOSITORY = "zricethezav/gitleaks";
export const GITLEAKS_DEFAULT_VERSION = "v8.30.1";

/**
 * Image digests for known versions (the multi-arch index digest). Both are quoted, identically, by
 * several independent public repositories that pin the image; bump version and digest together.
 */
export const GITLEAKS_DIGESTS: Readonly<Record<string, string>> = {
  "v8.30.1": "sha256:c00b6bd0aeb3071cbcb79009cb16a60dd9e0a7c60e2be9ab65d25e6bc8abbb7f",
  "v8.30.0": "sha256:691af3c7c5a48b16f187ce3446d5f194838f91238f27270ed36eef6359a574d9",
};

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

const PINNED = /@sha256:[a-f0-9]{64}$/;

/**
 * The image reference for a version: `<repo>:<version>@<digest>`. A version already given with its
 * digest (`v8.x.y@sha256:...`) is used as is; an unknown version without a digest is refused, so that
 * nothing runs unpinned.
 */
export function gitleaksImageRef(version: string = GITLEAKS_DEFAULT_VERSION): string {
  if (PINNED.test(version)) return `${GITLEAKS_REPOSITORY}:${version}`;
  const digest = GITLEAKS_DIGESTS[version];
  if (digest === undefined) {
    throw new Error(
      `gitleaks: no digest is pinned for version "${version}" (known: ${Object.keys(GITLEAKS_DIGESTS).join(", ")}). ` +
        `Pass the version with its digest, e.g. "${version}@sha256:<64 hex digits>", or pass a container.`,
    );
  }
  return `${GITLEAKS_REPOSITORY}:${version}@${digest}`;
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
