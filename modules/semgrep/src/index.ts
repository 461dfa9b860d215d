/**
 * Semgrep: static application security testing (SAST) with local rules or registry rulesets.
 *
 * The image is pinned by version and digest. Metrics and the version check are off, so a scan with
 * local rules runs offline. A scan with findings or rule errors does not fail the call: it returns a
 * scan whose exit code and reports say what happened.
 */
import { Container, Directory, File, func, object } from "@dagger.io/dagger";
import { SEMGREP_DEFAULT_VERSION, SEMGREP_JSON_REPORT, SEMGREP_SARIF_REPORT, semgrepContainer, semgrepScan } from "./semgrep.js";

/** The outcome of one semgrep run: its reports, exit code and logs. */
@object()
export class SemgrepScan {
  /** The container that ran semgrep. */
  run: Container;

  constructor(run: Container) {
    this.run = run;
  }

  /** The semgrep JSON report: `results[]`, and `errors[]` for rules or files semgrep could not handle. */
  @func()
  report(): File {
    return this.run.file(SEMGREP_JSON_REPORT);
  }

  /** The SARIF 2.1.0 report, for code-scanning dashboards. */
  @func()
  sarif(): File {
    return this.run.file(SEMGREP_SARIF_REPORT);
  }

  /** The semgrep exit code: 0 when the scan completed (findings included), 2 or more when semgrep failed. */
  @func()
  async exitCode(): Promise<number> {
    return this.run.exitCode();
  }

  /** What semgrep printed on stderr. */
  @func()
  async stderr(): Promise<string> {
    return this.run.stderr();
  }
}

/** Semgrep SAST, pinned by digest. */
@object()
export class Semgrep {
  /** The container semgrep runs in. */
  @func()
  base: Container;

  /**
   * @param version Semgrep image version. Known versions carry a pinned digest; any other version must be given as `<tag>@sha256:<digest>`.
   * @param container A container with `semgrep` on the PATH; takes precedence over `version`.
   */
  constructor(version: string = SEMGREP_DEFAULT_VERSION, container?: Container) {
    this.base = semgrepContainer(version, container);
  }

  /**
   * Scan a source directory. Give local rules, registry rulesets, or both.
   *
   * @param source Directory to scan.
   * @param rules Rule files or folders inside the source, relative to its root. They run offline.
   * @param rulesDir A directory of rule files from outside the source. Runs offline.
   * @param rulesets Registry rulesets such as `p/default`. They are downloaded, so they need network access.
   * @param exclude Path patterns to skip, e.g. `test/` or `*.min.js`.
   * @param severity Report only these severities, e.g. `ERROR` or `HIGH`. Default: all.
   */
  @func()
  scan(source: Directory, rules: string[] = [], rulesDir?: Directory, rulesets: string[] = [], exclude: string[] = [], severity: string[] = []): SemgrepScan {
    return new SemgrepScan(semgrepScan(this.base, source, { rules, rulesDir, rulesets, exclude, severities: severity }));
  }
}
