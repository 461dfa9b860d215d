// The semgrep container recipe, as plain functions. The module object (index.ts) and the dpra root
// module both call these, so the recipe exists once.
import { dag, ReturnType, type Container, type Directory } from "@dagger.io/dagger";
import { semgrepImageRef } from "./pin.js";

export { SEMGREP_REPOSITORY, SEMGREP_DEFAULT_VERSION, SEMGREP_DIGESTS, semgrepImageRef } from "./pin.js";

export const SEMGREP_SOURCE_PATH = "/src";
export const SEMGREP_RULES_PATH = "/rules";
export const SEMGREP_REPORT_DIR = "/reports";
export const SEMGREP_JSON_REPORT = `${SEMGREP_REPORT_DIR}/semgrep.json`;
export const SEMGREP_SARIF_REPORT = `${SEMGREP_REPORT_DIR}/semgrep.sarif`;
/** Semgrep keeps its settings and version-check cache in `~/.semgrep`; the image runs as root. */
export const SEMGREP_CACHE_PATH = "/root/.semgrep";
export const SEMGREP_CACHE_KEY = "semgrep-user-data";

/** The severities semgrep accepts in `--severity` (legacy and current scales). */
export const SEMGREP_SEVERITIES = ["INFO", "WARNING", "ERROR", "LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export type SemgrepSeverity = (typeof SEMGREP_SEVERITIES)[number];

export interface SemgrepOptions {
  /** Rule files or folders inside the source, relative to it (semgrep runs in the source root). Local rules run offline. */
  rules?: string[];
  /** A directory of rules from outside the source (mounted read-only). */
  rulesDir?: Directory;
  /** Registry rulesets such as `p/default` or `p/owasp-top-ten`. They are downloaded, so they need network access. */
  rulesets?: string[];
  /** Path patterns to skip (`--exclude`). */
  exclude?: string[];
  /** Report only these severities. Default: all. */
  severities?: string[];
}


/** The container semgrep runs in: the caller's container when given, else the pinned image. */
export function semgrepContainer(version?: string, container?: Container): Container {
  return container ?? dag.container().from(semgrepImageRef(version));
}

/**
 * The semgrep command line. Metrics and the version check are off, so a run with local rules makes
 * no network call. One run writes both the JSON and the SARIF report.
 */
export function semgrepArgs(opts: Omit<SemgrepOptions, "rulesDir"> & { rulesDir?: boolean }): string[] {
  const configs = [
    ...(opts.rules ?? []),
    ...(opts.rulesDir ? [SEMGREP_RULES_PATH] : []),
    ...(opts.rulesets ?? []),
  ];
  if (configs.length === 0) {
    throw new Error(
      "semgrep: no rules given. Set local rules (security.semgrep.rules in dpra.yaml, or the rules/rulesDir arguments) " +
        "or registry rulesets such as p/default (needs network access).",
    );
  }
  const args = ["semgrep", "scan", "--metrics=off", "--disable-version-check", "--quiet"];
  for (const c of configs) args.push("--config", c);
  for (const e of opts.exclude ?? []) args.push("--exclude", e);
  for (const s of opts.severities ?? []) {
    const upper = s.toUpperCase();
    if (!(SEMGREP_SEVERITIES as readonly string[]).includes(upper)) {
      throw new Error(`semgrep: unknown severity "${s}"; expected one of ${SEMGREP_SEVERITIES.join(", ")}.`);
    }
    args.push("--severity", upper);
  }
  // Target `.` from the source workdir, so that report paths are relative to the source.
  args.push(`--json-output=${SEMGREP_JSON_REPORT}`, `--sarif-output=${SEMGREP_SARIF_REPORT}`, ".");
  return args;
}

/**
 * Runs semgrep once, writing the JSON and the SARIF report. Any exit code is accepted: errors are in
 * the JSON report's `errors[]` and in the exit code, not a crash of the pipeline.
 */
export function semgrepScan(base: Container, source: Directory, opts: SemgrepOptions, day: string = new Date().toISOString().slice(0, 10)): Container {
  let ctr = base
    .withMountedCache(SEMGREP_CACHE_PATH, dag.cacheVolume(SEMGREP_CACHE_KEY))
    .withEnvVariable("SEMGREP_SEND_METRICS", "off")
    .withMountedDirectory(SEMGREP_SOURCE_PATH, source)
    .withWorkdir(SEMGREP_SOURCE_PATH)
    .withDirectory(SEMGREP_REPORT_DIR, dag.directory());
  if (opts.rulesDir) ctr = ctr.withMountedDirectory(SEMGREP_RULES_PATH, opts.rulesDir);
  // Registry rulesets change without any input of the exec changing: make the day an input, so
  // that Dagger's cache never serves results of rules more than a day old. Local rules are inputs.
  if ((opts.rulesets ?? []).length > 0) ctr = ctr.withEnvVariable("SCAN_DAY", day);
  const args = semgrepArgs({ ...opts, rulesDir: opts.rulesDir !== undefined });
  return ctr.withExec(args, { expect: ReturnType.Any });
}
