// The gitleaks container recipe, as plain functions. The module object (index.ts) and the dpra root
// module both call these, so the recipe exists once.
import { dag, ReturnType, type Container, type Directory, type File } from "@dagger.io/dagger";
import { gitleaksImageRef } from "./pin.js";
import {
  GITLEAKS_BASELINE_PATH,
  GITLEAKS_CONFIG_PATH,
  GITLEAKS_IGNORE_PATH,
  GITLEAKS_REPORT_DIR,
  GITLEAKS_SOURCE_PATH,
  gitleaksArgs,
  type GitleaksFormat,
  type GitleaksMode,
} from "./args.js";

export { GITLEAKS_REPOSITORY, GITLEAKS_DEFAULT_VERSION, GITLEAKS_DIGESTS, gitleaksImageRef } from "./pin.js";

export {
  GITLEAKS_SOURCE_PATH,
  GITLEAKS_REPORT_DIR,
  GITLEAKS_CONFIG_PATH,
  GITLEAKS_IGNORE_PATH,
  GITLEAKS_BASELINE_PATH,
  GITLEAKS_CONTAINER_PATHS,
  gitleaksArgs,
  gitleaksReportPath,
  type GitleaksFormat,
  type GitleaksMode,
  type GitleaksPaths,
} from "./args.js";

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
