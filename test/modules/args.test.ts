import { describe, expect, it } from "vitest";
import { GITLEAKS_DIGESTS, gitleaksArgs, gitleaksImageRef, gitleaksReportPath } from "../../modules/gitleaks/src/gitleaks.js";
import { SEMGREP_JSON_REPORT, SEMGREP_SARIF_REPORT, semgrepArgs, semgrepImageRef } from "../../modules/semgrep/src/semgrep.js";
import { TRIVY_CACHE_PATH, TRIVY_JSON_REPORT, trivyConvertArgs, trivyFsArgs, trivyImageArgs, trivyImageRef, trivySbomArgs } from "../../modules/trivy/src/trivy.js";

const DIGEST_REF = /^[\w./-]+:[\w.-]+@sha256:[a-f0-9]{64}$/;

describe("image references", () => {
  it("pins every default image by tag and digest", () => {
    for (const ref of [gitleaksImageRef(), semgrepImageRef(), trivyImageRef()]) expect(ref).toMatch(DIGEST_REF);
    expect(gitleaksImageRef()).toBe(`zricethezav/gitleaks:v8.30.1@${GITLEAKS_DIGESTS["v8.30.1"]}`);
  });

  it("accepts a version that carries its own digest", () => {
    const v = `0.99.0@sha256:${"a".repeat(64)}`;
    expect(trivyImageRef(v)).toBe(`aquasec/trivy:${v}`);
  });

  it("refuses a version without a known digest, saying how to pin it", () => {
    expect(() => semgrepImageRef("1.0.0")).toThrow(/no digest is pinned for version "1.0.0".*1.0.0@sha256:/);
    expect(() => gitleaksImageRef("latest")).toThrow(/or pass a container/);
  });
});

describe("gitleaks arguments", () => {
  it("scans a directory with redaction and a JSON report", () => {
    expect(gitleaksArgs("json", { mode: "dir" })).toEqual([
      "gitleaks",
      "dir",
      "--no-banner",
      "--no-color",
      "--redact",
      "--report-format",
      "json",
      "--report-path",
      "/reports/gitleaks.json",
      ".",
    ]);
  });

  it("scans git history with log options, config, ignore file and baseline, SARIF report", () => {
    const args = gitleaksArgs("sarif", { mode: "git", config: true, ignoreFile: true, baseline: true, logOpts: "main..HEAD" });
    expect(args.slice(0, 2)).toEqual(["gitleaks", "git"]);
    expect(args).toContain("--redact");
    expect(args.join(" ")).toContain("--report-format sarif --report-path /reports/gitleaks.sarif");
    expect(args.join(" ")).toContain("--config /etc/gitleaks/gitleaks.toml");
    expect(args.join(" ")).toContain("--gitleaks-ignore-path /etc/gitleaks/.gitleaksignore");
    expect(args.join(" ")).toContain("--baseline-path /etc/gitleaks/baseline.json");
    expect(args).toContain("--log-opts=main..HEAD");
    expect(gitleaksReportPath("sarif")).toBe("/reports/gitleaks.sarif");
  });

  it("ignores log options in dir mode", () => {
    expect(gitleaksArgs("json", { mode: "dir", logOpts: "--all" }).some((a) => a.startsWith("--log-opts"))).toBe(false);
  });
});

describe("semgrep arguments", () => {
  it("runs local rules offline and writes JSON and SARIF in one run", () => {
    const args = semgrepArgs({ rules: ["semgrep/rules.yaml"], exclude: ["test/"], severities: ["error", "HIGH"] });
    expect(args.slice(0, 4)).toEqual(["semgrep", "scan", "--metrics=off", "--disable-version-check"]);
    expect(args.join(" ")).toContain("--config semgrep/rules.yaml");
    expect(args.join(" ")).toContain("--exclude test/");
    expect(args.join(" ")).toContain("--severity ERROR --severity HIGH");
    expect(args).toContain(`--json-output=${SEMGREP_JSON_REPORT}`);
    expect(args).toContain(`--sarif-output=${SEMGREP_SARIF_REPORT}`);
    expect(args.at(-1)).toBe(".");
  });

  it("combines a mounted rules directory with registry rulesets", () => {
    const args = semgrepArgs({ rulesDir: true, rulesets: ["p/default"] });
    expect(args.join(" ")).toContain("--config /rules --config p/default");
  });

  it("keeps rule ids as written only when asked (the bundled rules: the same ids wherever they are installed)", () => {
    expect(semgrepArgs({ rulesDir: true, ruleIdsAsWritten: true }).join(" ")).toContain("--config /rules --no-rewrite-rule-ids --json-output=");
    expect(semgrepArgs({ rules: ["semgrep/"] })).not.toContain("--no-rewrite-rule-ids");
  });

  it("refuses to run without rules rather than fall back to --config auto", () => {
    expect(() => semgrepArgs({})).toThrow(/no rules given/);
  });

  it("rejects an unknown severity", () => {
    expect(() => semgrepArgs({ rulesets: ["p/default"], severities: ["urgent"] })).toThrow(/unknown severity "urgent"/);
  });
});

describe("trivy arguments", () => {
  it("scans the source with all four scanners by default, cache at a fixed path", () => {
    expect(trivyFsArgs({})).toEqual([
      "trivy",
      "fs",
      "--cache-dir",
      TRIVY_CACHE_PATH,
      "--scanners",
      "vuln,secret,misconfig,license",
      "--format",
      "json",
      "--output",
      TRIVY_JSON_REPORT,
      ".",
    ]);
  });

  it("filters scanners, severities, skips dirs and scans a sub-path", () => {
    const args = trivyFsArgs({ scanners: ["misconfig"], severities: ["high", "CRITICAL"], ignoreFile: true, skipDirs: ["node_modules"], path: "./infra" });
    expect(args.join(" ")).toContain("--scanners misconfig --severity HIGH,CRITICAL --ignorefile /etc/trivy/.trivyignore --skip-dirs node_modules");
    expect(args.at(-1)).toBe("infra");
  });

  it("uses the cached vulnerability DB only when asked (--skip-db-update)", () => {
    expect(trivyFsArgs({})).not.toContain("--skip-db-update");
    expect(trivyFsArgs({ skipDbUpdate: true, scanners: ["vuln"] }).join(" ")).toContain("--scanners vuln --skip-db-update");
  });

  it("limits the misconfiguration scan to the given kinds, and rejects an unknown kind", () => {
    expect(trivyFsArgs({ scanners: ["misconfig"] })).not.toContain("--misconfig-scanners");
    expect(trivyFsArgs({ scanners: ["misconfig"], misconfigScanners: ["dockerfile", "cloudformation"] }).join(" ")).toContain("--misconfig-scanners dockerfile,cloudformation");
    expect(() => trivyFsArgs({ misconfigScanners: ["cfn"] })).toThrow(/unknown misconfiguration scanner "cfn"; expected one of azure-arm, cloudformation/);
  });

  it("rejects unknown scanners and escaping paths", () => {
    expect(() => trivyFsArgs({ scanners: ["config"] })).toThrow(/unknown scanner "config"/);
    expect(() => trivyFsArgs({ path: "../etc" })).toThrow(/relative to the source/);
  });

  it("scans an image from its tarball, and builds CycloneDX SBOMs", () => {
    expect(trivyImageArgs({}).join(" ")).toContain("image --cache-dir /root/.cache/trivy --scanners vuln,secret --input /input/image.tar");
    expect(trivySbomArgs("fs")).toEqual(["trivy", "fs", "--cache-dir", TRIVY_CACHE_PATH, "--format", "cyclonedx", "--output", "/reports/sbom.cdx.json", "."]);
    expect(trivySbomArgs("image")).toContain("--input");
    expect(trivyConvertArgs()).toEqual(["trivy", "convert", "--format", "sarif", "--output", "/reports/trivy.sarif", TRIVY_JSON_REPORT]);
  });
});
