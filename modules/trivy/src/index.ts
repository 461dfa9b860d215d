/**
 * Trivy: vulnerabilities, secrets, IaC and Dockerfile misconfigurations and licenses in a source
 * directory or an image, and CycloneDX SBOMs.
 *
 * The image is pinned by version and digest; the vulnerability DB is cached in a cache volume at a
 * fixed path. A scan with findings does not fail the call: it returns a scan whose reports say what
 * was found.
 */
import { Container, Directory, File, func, object } from "@dagger.io/dagger";
import {
  TRIVY_DEFAULT_VERSION,
  TRIVY_JSON_REPORT,
  TRIVY_SARIF_REPORT,
  TRIVY_SBOM_REPORT,
  trivyContainer,
  trivyFsScan,
  trivyImageSbom,
  trivyImageScan,
  trivySarif,
  trivySourceSbom,
} from "./trivy.js";

/** The outcome of one trivy scan: its reports, exit code and logs. */
@object()
export class TrivyScan {
  /** The container that ran the scan. */
  run: Container;

  constructor(run: Container) {
    this.run = run;
  }

  /** The trivy JSON report (`Results[]` with Vulnerabilities, Secrets, Misconfigurations, Licenses). */
  @func()
  report(): File {
    return this.run.file(TRIVY_JSON_REPORT);
  }

  /** The SARIF 2.1.0 report, converted from the JSON report with `trivy convert` (no second scan). */
  @func()
  sarif(): File {
    return trivySarif(this.run).file(TRIVY_SARIF_REPORT);
  }

  /** The trivy exit code: 0 when the scan completed (findings included), non-zero when trivy failed. */
  @func()
  async exitCode(): Promise<number> {
    return this.run.exitCode();
  }

  /** What trivy printed on stderr. */
  @func()
  async stderr(): Promise<string> {
    return this.run.stderr();
  }
}

/** Trivy scanner, pinned by digest, with its DB cached. */
@object()
export class Trivy {
  /** The container trivy runs in, with the DB cache mounted. */
  @func()
  base: Container;

  /**
   * @param version Trivy image version. Known versions carry a pinned digest; any other version must be given as `<tag>@sha256:<digest>`.
   * @param container A container with `trivy` on the PATH; takes precedence over `version`.
   */
  constructor(version: string = TRIVY_DEFAULT_VERSION, container?: Container) {
    this.base = trivyContainer(version, container);
  }

  /**
   * Scan a source directory: dependencies (lockfiles), secrets, IaC and Dockerfile misconfigurations, licenses.
   *
   * @param source Directory to scan.
   * @param scanners Scanners to run, among vuln, secret, misconfig and license. Default: all four.
   * @param severity Report only these severities (UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL). Default: all.
   * @param ignoreFile A `.trivyignore` file of IDs to ignore.
   * @param skipDirs Directories to skip, relative to the source.
   * @param path Sub-directory of the source to scan, e.g. `infra`. Default: the whole source.
   * @param misconfigScanners Misconfiguration scanners to use, e.g. dockerfile and cloudformation. Default: all of trivy's.
   */
  @func()
  fs(
    source: Directory,
    scanners: string[] = [],
    severity: string[] = [],
    ignoreFile?: File,
    skipDirs: string[] = [],
    path: string = ".",
    misconfigScanners: string[] = [],
  ): TrivyScan {
    return new TrivyScan(trivyFsScan(this.base, source, { scanners, severities: severity, ignoreFile, skipDirs, path, misconfigScanners }));
  }

  /**
   * Scan a container image (exported as an OCI tarball; no registry needed).
   *
   * @param image The image to scan.
   * @param scanners Scanners to run, among vuln, secret, misconfig and license. Default: vuln and secret.
   * @param severity Report only these severities (UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL). Default: all.
   * @param ignoreFile A `.trivyignore` file of IDs to ignore.
   */
  @func()
  image(image: Container, scanners: string[] = [], severity: string[] = [], ignoreFile?: File): TrivyScan {
    return new TrivyScan(trivyImageScan(this.base, image, { scanners, severities: severity, ignoreFile }));
  }

  /**
   * A CycloneDX SBOM of a source directory's dependencies, from its lockfiles and manifests.
   *
   * @param source Directory to inventory.
   * @param path Sub-directory of the source to inventory. Default: the whole source.
   */
  @func()
  sbom(source: Directory, path: string = "."): File {
    return trivySourceSbom(this.base, source, path).file(TRIVY_SBOM_REPORT);
  }

  /**
   * A CycloneDX SBOM of a container image: its OS and language packages.
   *
   * @param image The image to inventory.
   */
  @func()
  imageSbom(image: Container): File {
    return trivyImageSbom(this.base, image).file(TRIVY_SBOM_REPORT);
  }
}
