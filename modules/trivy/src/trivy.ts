// The trivy container recipe, as plain functions. The module object (index.ts) and the dpra root
// module both call these, so the recipe exists once.
import { dag, ReturnType, type Container, type Directory, type File } from "@dagger.io/dagger";
import { trivyImageRef } from "./pin.js";

export { TRIVY_REPOSITORY, TRIVY_DEFAULT_VERSION, TRIVY_DIGESTS, trivyImageRef } from "./pin.js";

export const TRIVY_SOURCE_PATH = "/src";
export const TRIVY_INPUT_PATH = "/input/image.tar";
export const TRIVY_REPORT_DIR = "/reports";
export const TRIVY_JSON_REPORT = `${TRIVY_REPORT_DIR}/trivy.json`;
export const TRIVY_SARIF_REPORT = `${TRIVY_REPORT_DIR}/trivy.sarif`;
export const TRIVY_SBOM_REPORT = `${TRIVY_REPORT_DIR}/sbom.cdx.json`;
export const TRIVY_IGNORE_PATH = "/etc/trivy/.trivyignore";
/** The vulnerability DB and the misconfiguration checks bundle live here; a cache volume keeps them between runs. */
export const TRIVY_CACHE_PATH = "/root/.cache/trivy";
export const TRIVY_CACHE_KEY = "trivy-cache";

export const TRIVY_SCANNERS = ["vuln", "secret", "misconfig", "license"] as const;
export type TrivyScanner = (typeof TRIVY_SCANNERS)[number];
export const TRIVY_SEVERITIES = ["UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;

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

function checkedList(kind: string, values: readonly string[], allowed: readonly string[]): string {
  for (const v of values) {
    if (!allowed.includes(v)) throw new Error(`trivy: unknown ${kind} "${v}"; expected one of ${allowed.join(", ")}.`);
  }
  return values.join(",");
}

/** Flags shared by every trivy scan: cache, filters, ignore file. */
function commonFlags(opts: Omit<TrivyScanOptions, "ignoreFile"> & { ignoreFile?: boolean }, defaultScanners: readonly string[]): string[] {
  const scanners = opts.scanners && opts.scanners.length > 0 ? opts.scanners : defaultScanners;
  const args = ["--cache-dir", TRIVY_CACHE_PATH, "--scanners", checkedList("scanner", scanners, TRIVY_SCANNERS)];
  if (opts.severities && opts.severities.length > 0) {
    args.push("--severity", checkedList("severity", opts.severities.map((s) => s.toUpperCase()), TRIVY_SEVERITIES));
  }
  if (opts.ignoreFile) args.push("--ignorefile", TRIVY_IGNORE_PATH);
  for (const dir of opts.skipDirs ?? []) args.push("--skip-dirs", dir);
  return args;
}

function target(path: string | undefined): string {
  const p = path === undefined || path === "." ? "" : path.replace(/^\.\//, "");
  if (p.startsWith("/") || p.split("/").includes("..")) {
    throw new Error(`trivy: path "${path}" must be relative to the source, without a leading / or ..`);
  }
  return p === "" ? "." : p;
}

/** `trivy fs` over the source: vulnerabilities, secrets, IaC and Dockerfile misconfigurations, licenses. */
export function trivyFsArgs(opts: Omit<TrivyScanOptions, "ignoreFile"> & { ignoreFile?: boolean }): string[] {
  return [
    "trivy",
    "fs",
    ...commonFlags(opts, TRIVY_SCANNERS),
    "--format",
    "json",
    "--output",
    TRIVY_JSON_REPORT,
    target(opts.path),
  ];
}

/** `trivy image` on an OCI tarball: OS and language packages of the packaged image. */
export function trivyImageArgs(opts: Omit<TrivyScanOptions, "ignoreFile" | "path"> & { ignoreFile?: boolean }): string[] {
  return [
    "trivy",
    "image",
    ...commonFlags(opts, ["vuln", "secret"]),
    "--input",
    TRIVY_INPUT_PATH,
    "--format",
    "json",
    "--output",
    TRIVY_JSON_REPORT,
  ];
}

/** A CycloneDX SBOM of the source's dependencies (`fs`) or of an image tarball (`image`). */
export function trivySbomArgs(kind: "fs" | "image", path?: string): string[] {
  const args = ["trivy", kind, "--cache-dir", TRIVY_CACHE_PATH, "--format", "cyclonedx", "--output", TRIVY_SBOM_REPORT];
  return kind === "fs" ? [...args, target(path)] : [...args, "--input", TRIVY_INPUT_PATH];
}

/** Turns the JSON report into SARIF with `trivy convert`: no second scan, no DB access. */
export function trivyConvertArgs(): string[] {
  return ["trivy", "convert", "--format", "sarif", "--output", TRIVY_SARIF_REPORT, TRIVY_JSON_REPORT];
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
