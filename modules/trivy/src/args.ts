// The trivy command lines as pure functions (no Dagger import): the Dagger recipe (trivy.ts) passes
// its container paths, `dpra scan` passes host paths. The one copy of each command line.

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
/** trivy 0.74's misconfiguration scanners (`trivy fs --help`, `--misconfig-scanners`). */
export const TRIVY_MISCONFIG_SCANNERS = [
  "azure-arm",
  "cloudformation",
  "dockerfile",
  "helm",
  "kubernetes",
  "terraform",
  "terraformplan-json",
  "terraformplan-snapshot",
  "ansible",
] as const;

/** Where the command lines point: the container's paths by default, host paths for `dpra scan`. */
export interface TrivyPaths {
  cacheDir: string;
  ignoreFile: string;
  input: string;
  jsonReport: string;
  sarifReport: string;
  sbomReport: string;
}

export const TRIVY_CONTAINER_PATHS: TrivyPaths = {
  cacheDir: TRIVY_CACHE_PATH,
  ignoreFile: TRIVY_IGNORE_PATH,
  input: TRIVY_INPUT_PATH,
  jsonReport: TRIVY_JSON_REPORT,
  sarifReport: TRIVY_SARIF_REPORT,
  sbomReport: TRIVY_SBOM_REPORT,
};

/** The scan settings the command lines take (the ignore file as "given or not": its path is in TrivyPaths). */
export interface TrivyArgsOptions {
  scanners?: string[];
  severities?: string[];
  ignoreFile?: boolean;
  skipDirs?: string[];
  /** Sub-directory of the source to scan, relative to it (default: the whole source). */
  path?: string;
  /** Use the vulnerability DB already in the cache dir (`--skip-db-update`); for offline runs and tests. */
  skipDbUpdate?: boolean;
  /** The misconfiguration scanners (`--misconfig-scanners`); default: trivy's, all of them. */
  misconfigScanners?: string[];
}

function checkedList(kind: string, values: readonly string[], allowed: readonly string[]): string {
  for (const v of values) {
    if (!allowed.includes(v)) throw new Error(`trivy: unknown ${kind} "${v}"; expected one of ${allowed.join(", ")}.`);
  }
  return values.join(",");
}

/** Flags shared by every trivy scan: cache, filters, ignore file. */
function commonFlags(opts: TrivyArgsOptions, defaultScanners: readonly string[], paths: TrivyPaths): string[] {
  const scanners = opts.scanners && opts.scanners.length > 0 ? opts.scanners : defaultScanners;
  const args = ["--cache-dir", paths.cacheDir, "--scanners", checkedList("scanner", scanners, TRIVY_SCANNERS)];
  if (opts.severities && opts.severities.length > 0) {
    args.push(
      "--severity",
      checkedList(
        "severity",
        opts.severities.map((s) => s.toUpperCase()),
        TRIVY_SEVERITIES,
      ),
    );
  }
  if (opts.ignoreFile) args.push("--ignorefile", paths.ignoreFile);
  if (opts.skipDbUpdate) args.push("--skip-db-update");
  for (const dir of opts.skipDirs ?? []) args.push("--skip-dirs", dir);
  if (opts.misconfigScanners && opts.misconfigScanners.length > 0) {
    args.push("--misconfig-scanners", checkedList("misconfiguration scanner", opts.misconfigScanners, TRIVY_MISCONFIG_SCANNERS));
  }
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
export function trivyFsArgs(opts: TrivyArgsOptions, paths: TrivyPaths = TRIVY_CONTAINER_PATHS): string[] {
  return ["trivy", "fs", ...commonFlags(opts, TRIVY_SCANNERS, paths), "--format", "json", "--output", paths.jsonReport, target(opts.path)];
}

/** `trivy image` on an OCI tarball: OS and language packages of the packaged image. */
export function trivyImageArgs(opts: Omit<TrivyArgsOptions, "path">, paths: TrivyPaths = TRIVY_CONTAINER_PATHS): string[] {
  return ["trivy", "image", ...commonFlags(opts, ["vuln", "secret"], paths), "--input", paths.input, "--format", "json", "--output", paths.jsonReport];
}

/** A CycloneDX SBOM of the source's dependencies (`fs`) or of an image tarball (`image`). */
export function trivySbomArgs(kind: "fs" | "image", path?: string, paths: TrivyPaths = TRIVY_CONTAINER_PATHS): string[] {
  const args = ["trivy", kind, "--cache-dir", paths.cacheDir, "--format", "cyclonedx", "--output", paths.sbomReport];
  return kind === "fs" ? [...args, target(path)] : [...args, "--input", paths.input];
}

/** Turns the JSON report into SARIF with `trivy convert`: no second scan, no DB access. */
export function trivyConvertArgs(paths: TrivyPaths = TRIVY_CONTAINER_PATHS): string[] {
  return ["trivy", "convert", "--format", "sarif", "--output", paths.sarifReport, paths.jsonReport];
}
