// The semgrep container recipe, as plain functions. The module object (index.ts) and the dpra root
// module both call these, so the recipe exists once.
import { dag, ReturnType, type Container, type Directory } from "@dagger.io/dagger";
import { semgrepImageRef } from "./pin.js";
import { SEMGREP_REPORT_DIR, SEMGREP_RULES_PATH, SEMGREP_SOURCE_PATH, semgrepArgs } from "./args.js";

export {
  SEMGREP_SOURCE_PATH,
  SEMGREP_RULES_PATH,
  SEMGREP_REPORT_DIR,
  SEMGREP_JSON_REPORT,
  SEMGREP_SARIF_REPORT,
  SEMGREP_SEVERITIES,
  SEMGREP_CONTAINER_PATHS,
  semgrepArgs,
  type SemgrepArgsOptions,
  type SemgrepPaths,
  type SemgrepSeverity,
} from "./args.js";

export { SEMGREP_REPOSITORY, SEMGREP_DEFAULT_VERSION, SEMGREP_DIGESTS, semgrepImageRef } from "./pin.js";

/** Semgrep keeps its settings and version-check cache in `~/.semgrep`; the image runs as root. */
export const SEMGREP_CACHE_PATH = "/root/.semgrep";
export const SEMGREP_CACHE_KEY = "semgrep-user-data";

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
  /** Report rule ids as the rule files write them, without semgrep's folder prefix (`--no-rewrite-rule-ids`). */
  ruleIdsAsWritten?: boolean;
}

/** The container semgrep runs in: the caller's container when given, else the pinned image. */
export function semgrepContainer(version?: string, container?: Container): Container {
  return container ?? dag.container().from(semgrepImageRef(version));
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
