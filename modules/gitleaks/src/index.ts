/**
 * Gitleaks: find hardcoded secrets in a directory or in a git history.
 *
 * The image is pinned by version and digest; reports are always redacted. A scan that finds leaks
 * does not fail the call: it returns a scan whose exit code and reports say what was found.
 */
import { Container, Directory, File, func, object } from "@dagger.io/dagger";
import { GITLEAKS_DEFAULT_VERSION, gitleaksContainer, gitleaksReportPath, gitleaksScan, type GitleaksMode, type GitleaksOptions } from "./gitleaks.js";

/** The outcome of one gitleaks scan: its reports, exit code and logs. */
@object()
export class GitleaksScan {
  /** The container that ran the scan with a JSON report. */
  jsonRun: Container;
  /** The same scan with a SARIF report; it runs only when the SARIF report is asked for. */
  sarifRun: Container;

  constructor(jsonRun: Container, sarifRun: Container) {
    this.jsonRun = jsonRun;
    this.sarifRun = sarifRun;
  }

  /** The gitleaks JSON report (an array of findings, secrets redacted). */
  @func()
  report(): File {
    return this.jsonRun.file(gitleaksReportPath("json"));
  }

  /** The SARIF 2.1.0 report, for code-scanning dashboards. */
  @func()
  sarif(): File {
    return this.sarifRun.file(gitleaksReportPath("sarif"));
  }

  /** The gitleaks exit code: 0 when nothing leaked, 1 when leaks were found or gitleaks failed (see stderr). */
  @func()
  async exitCode(): Promise<number> {
    return this.jsonRun.exitCode();
  }

  /** What gitleaks printed on stderr: the summary, or why it failed. */
  @func()
  async stderr(): Promise<string> {
    return this.jsonRun.stderr();
  }
}

/** Gitleaks secret detection, pinned by digest. */
@object()
export class Gitleaks {
  /** The container gitleaks runs in. */
  @func()
  base: Container;

  /**
   * @param version Gitleaks image version. Known versions carry a pinned digest; any other version must be given as `<tag>@sha256:<digest>`.
   * @param container A container with `gitleaks` on the PATH; takes precedence over `version`.
   */
  constructor(version: string = GITLEAKS_DEFAULT_VERSION, container?: Container) {
    this.base = gitleaksContainer(version, container);
  }

  /**
   * Scan the files of a directory as they are, without history.
   *
   * @param source Directory to scan.
   * @param config Gitleaks TOML config (rules, allowlists). Default: the source's `.gitleaks.toml`, else gitleaks' rules.
   * @param ignoreFile A `.gitleaksignore` file listing finding fingerprints to skip.
   * @param baseline A previous gitleaks JSON report; findings already in it are not reported.
   */
  @func()
  dir(source: Directory, config?: File, ignoreFile?: File, baseline?: File): GitleaksScan {
    return this.scan(source, { mode: "dir", config, ignoreFile, baseline });
  }

  /**
   * Scan every commit of a git history. The source must contain `.git`.
   *
   * @param source Git repository to scan, including its `.git` directory.
   * @param logOpts `git log` options that select the commits, e.g. `main..HEAD` or `--since=2024-01-01`.
   * @param config Gitleaks TOML config (rules, allowlists). Default: the source's `.gitleaks.toml`, else gitleaks' rules.
   * @param ignoreFile A `.gitleaksignore` file listing finding fingerprints to skip.
   * @param baseline A previous gitleaks JSON report; findings already in it are not reported.
   */
  @func()
  git(source: Directory, logOpts?: string, config?: File, ignoreFile?: File, baseline?: File): GitleaksScan {
    return this.scan(source, { mode: "git", logOpts, config, ignoreFile, baseline });
  }

  private scan(source: Directory, opts: GitleaksOptions & { mode: GitleaksMode }): GitleaksScan {
    return new GitleaksScan(gitleaksScan(this.base, source, opts, "json"), gitleaksScan(this.base, source, opts, "sarif"));
  }
}
