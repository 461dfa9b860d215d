// The trivy container recipe, as plain functions. The module object (index.ts) and the dpra root
// module both call these, so the recipe exists once.
import { dag, ReturnType, type Container, type Directory, type File } from "@dagger.io/dagger";
import { trivyImageRef } from "./pin.js";
import {
  TRIVY_CACHE_KEY,
  TRIVY_CACHE_PATH,
  TRIVY_IGNORE_PATH,
  TRIVY_INPUT_PATH,
  TRIVY_REPORT_DIR,
  TRIVY_SOURCE_PATH,
  trivyConvertArgs,
  trivyFsArgs,
  trivyImageArgs,
  trivySbomArgs,
} from "./args.js";

export {
  TRIVY_SOURCE_PATH,
  TRIVY_INPUT_PATH,
  TRIVY_REPORT_DIR,
  TRIVY_JSON_REPORT,
  TRIVY_SARIF_REPORT,
  TRIVY_SBOM_REPORT,
  TRIVY_IGNORE_PATH,
  TRIVY_CACHE_PATH,
  TRIVY_CACHE_KEY,
  TRIVY_SCANNERS,
  TRIVY_SEVERITIES,
  TRIVY_CONTAINER_PATHS,
  trivyConvertArgs,
  trivyFsArgs,
  trivyImageArgs,
  trivySbomArgs,
  type TrivyArgsOptions,
  type TrivyPaths,
  type TrivyScanner,
} from "./args.js";

export { TRIVY_REPOSITORY, TRIVY_DEFAULT_VERSION, TRIVY_DIGESTS, trivyImageRef } from "./pin.js";

export interface TrivyScanOptions {
  /** Which scanners run. Default for `fs`: all four; for `image`: vuln and secret. */
  scanners?: string[];
  /** Report only these severities (UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL). Default: all. */
  severities?: string[];
  /** A `.trivyignore` file (IDs to ignore). */
  ignoreFile?: File;
  /** Directories to skip, relative to the scan root. */
  skipDirs?: string[];
  /** Sub-directory of the source to scan, relative to it (default: the whole source). */
  path?: string;
  /** The misconfiguration scanners (e.g. dockerfile, cloudformation). Default: trivy's, all of them. */
  misconfigScanners?: string[];
}

/** Today (UTC) as YYYY-MM-DD. */
export function scanDay(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The container trivy runs in (the caller's, else the pinned image), with the DB cache mounted.
 * Dagger caches an exec by its inputs, and a vulnerability DB update is not one: the day is made an
 * input (SCAN_DAY), so that a scan's vulnerability data is at most a day old.
 */
export function trivyContainer(version?: string, container?: Container, day: string = scanDay()): Container {
  return (container ?? dag.container().from(trivyImageRef(version)))
    .withMountedCache(TRIVY_CACHE_PATH, dag.cacheVolume(TRIVY_CACHE_KEY))
    .withEnvVariable("SCAN_DAY", day)
    .withDirectory(TRIVY_REPORT_DIR, dag.directory());
}

function withSource(base: Container, source: Directory): Container {
  return base.withMountedDirectory(TRIVY_SOURCE_PATH, source).withWorkdir(TRIVY_SOURCE_PATH);
}

function withIgnore(ctr: Container, ignoreFile: File | undefined): Container {
  return ignoreFile ? ctr.withMountedFile(TRIVY_IGNORE_PATH, ignoreFile) : ctr;
}

/** Runs `trivy fs`; any exit code is accepted, the JSON report is at TRIVY_JSON_REPORT. */
export function trivyFsScan(base: Container, source: Directory, opts: TrivyScanOptions = {}): Container {
  const ctr = withIgnore(withSource(base, source), opts.ignoreFile);
  return ctr.withExec(trivyFsArgs({ ...opts, ignoreFile: opts.ignoreFile !== undefined }), { expect: ReturnType.Any });
}

/** Runs `trivy image` on the image's OCI tarball; any exit code is accepted. */
export function trivyImageScan(base: Container, image: Container, opts: Omit<TrivyScanOptions, "path"> = {}): Container {
  const ctr = withIgnore(base.withMountedFile(TRIVY_INPUT_PATH, image.asTarball()), opts.ignoreFile);
  return ctr.withExec(trivyImageArgs({ ...opts, ignoreFile: opts.ignoreFile !== undefined }), { expect: ReturnType.Any });
}

/** Writes a CycloneDX SBOM of the source (lockfiles, manifests) to TRIVY_SBOM_REPORT. */
export function trivySourceSbom(base: Container, source: Directory, path?: string): Container {
  return withSource(base, source).withExec(trivySbomArgs("fs", path), { expect: ReturnType.Any });
}

/** Writes a CycloneDX SBOM of an image (OS and language packages) to TRIVY_SBOM_REPORT. */
export function trivyImageSbom(base: Container, image: Container): Container {
  return base.withMountedFile(TRIVY_INPUT_PATH, image.asTarball()).withExec(trivySbomArgs("image"), { expect: ReturnType.Any });
}

/** Adds the SARIF conversion of a finished scan's JSON report (TRIVY_SARIF_REPORT). */
export function trivySarif(scanned: Container): Container {
  return scanned.withExec(trivyConvertArgs(), { expect: ReturnType.Any });
}
