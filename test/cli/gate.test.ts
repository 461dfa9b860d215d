import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT_CODES_HELP } from "../../src/cli/io.js";
import { runCli } from "../support/cli.js";
import { fixturePath, repoRoot } from "../support/fixtures.js";

const dpra = (args: string[], cwd?: string) => runCli(args, cwd);

const fx = (...parts: string[]) => fixturePath(...parts);

describe("dpra gate", () => {
  it("exits 0 when nothing blocks", async () => {
    const run = await dpra(["gate", fx("trivy", "defectdojo-trivy-image-no-vulns.json"), fx("gitleaks", "gitleaks-empty.json"), fx("junit", "vitest-4.1.12-junit-pass.xml")]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toContain("## ✅ dpra gate passed: no blocking findings in 0 findings from 3 reports");
  });

  it("exits 1 on blocking findings and lists them on stderr", async () => {
    const run = await dpra(["gate", fx("trivy", "trivy-repo-misconfig-dockerfile.json"), fx("gitleaks", "gitleaks-json_simple.json")]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("## ❌ dpra gate failed: 2 blocking findings");
    expect(run.stderr).toContain("blocking: [high] trivy DS-0002 Dockerfile: high meets the misconfiguration threshold (policy.failOn.misconfiguration: high)");
    expect(run.stderr).toContain("blocking: [high] gitleaks test-rule auth.py:");
  });

  it("exits 1 on failing tests from every runner", async () => {
    for (const report of ["vitest-4.1.12-junit-failures.xml", "jest-30.5.2-jest-junit-17.0.0-failures.xml", "jest-30.5.2-jest-junit-17.0.0-failures-reportTestSuiteErrors.xml"]) {
      expect((await dpra(["gate", fx("junit", report)])).code).toBe(1);
    }
    expect((await dpra(["gate", fx("junit", "jest-30.5.2-jest-junit-17.0.0-pass.xml")])).code).toBe(0);
  });

  it("exits 1 on a JUnit report with zero test cases, as real vitest writes it for a suite without tests", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dpra-no-tests-"));
    writeFileSync(path.join(dir, "package.json"), '{"name":"no-tests","private":true,"type":"module"}\n');
    const report = path.join(dir, "junit.xml");
    const vitest = spawnSync(
      process.execPath,
      [path.join(repoRoot, "node_modules", "vitest", "vitest.mjs"), "run", "--root", dir, "--passWithNoTests", "--reporter=junit", `--outputFile=${report}`],
      { cwd: dir, encoding: "utf8" },
    );
    expect(vitest.status, vitest.stderr).toBe(0);
    const run = await dpra(["gate", report]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/blocking: \[high\] junit junit-no-test-cases .*junit\.xml/);
  }, 60_000);

  it("runs on every fixture with the documented exit codes", async () => {
    // Expected verdicts under the default policy (secret low, sast high, vulnerability high,
    // misconfiguration high, quality high, test low).
    const expectations: Record<string, number> = {
      "gitleaks/gitleaks-baseline.json": 1,
      "gitleaks/gitleaks-empty.json": 0,
      "gitleaks/gitleaks-json_simple.json": 1,
      "gitleaks/gitleaks-sarif_simple.sarif": 1,
      "gitleaks/pygoat-gitleaks-git-report.json": 1,
      "semgrep/juice-shop-semgrep-report.json": 0, // 11 WARNING = medium, below the sast threshold
      "semgrep/defectdojo-semgrep-fingerprint_test.json": 1, // one ERROR = high
      "semgrep/defectdojo-semgrep_version_1_30_0.json": 0,
      "semgrep/semgrep-e2e-output-format-json.json": 1,
      "semgrep/semgrep-e2e-output-format-sarif.sarif": 1, // level from the rule's defaultConfiguration
      "semgrep/semgrep-e2e-sarif-nosemgrep-and-error.sarif": 0, // suppressed in source
      "semgrep/semgrep-e2e-sarif-when-errors.sarif": 1, // driver.rules is empty: no rule ran (sast-no-rules); its tool error alone would not fail
      "semgrep/semgrep-1.178.0-no-rules.json": 1, // error code 7: sast-no-rules
      "semgrep/semgrep-1.178.0-no-rules.sarif": 1, // driver.rules is empty: sast-no-rules
      "semgrep/semgrep-1.178.0-no-files-scanned.json": 1, // paths.scanned is empty: sast-no-files-scanned
      "semgrep/semgrep-1.178.0-no-files-scanned.sarif": 0, // a rule loaded; SARIF does not list scanned files
      "trivy/defectdojo-trivy-config-issue_14136.json": 0, // LOW
      "trivy/defectdojo-trivy-image-no-vulns.json": 0,
      "trivy/defectdojo-trivy-misconfigurations_and_secrets.json": 1,
      "trivy/trivy-image-alpine-310.sarif": 0,
      "trivy/trivy-image-centos-7-ignore-unfixed.json": 0,
      "trivy/trivy-image-centos-7.json": 0,
      "trivy/trivy-npm-with-suppressed-vex.json": 1, // CVE-2017-20165 HIGH; the VEX one is suppressed
      "trivy/trivy-repo-misconfig-dockerfile-pre-v0.69.json": 1,
      "trivy/trivy-repo-misconfig-dockerfile.json": 1,
      "trivy/trivy-repo-misconfig-terraform-remote-submodule.json": 1,
      "trivy/trivy-repo-npm-cyclonedx.json": 0,
      "trivy/trivy-repo-npm.json": 0,
      "trivy/trivy-repo-secrets.json": 1,
      "sarif/defectdojo-suppression_test.sarif": 0,
      "sarif/sarif-spec-appendix-k1-minimal-valid.sarif": 0,
      "sarif/sarif-spec-appendix-k2-minimal-recommended.sarif": 0,
      "junit/gitleaks-junit_simple.xml": 1,
      "junit/jest-30.5.2-jest-junit-17.0.0-failures-reportTestSuiteErrors.xml": 1,
      "junit/jest-30.5.2-jest-junit-17.0.0-failures.xml": 1,
      "junit/jest-30.5.2-jest-junit-17.0.0-pass.xml": 0,
      "junit/vitest-4.1.12-junit-failures.xml": 1,
      "junit/vitest-4.1.12-junit-pass.xml": 0,
      "junit/vitest-4.1.12-junit-no-tests.xml": 1, // no test case: junit-no-test-cases
    };
    // Every report fixture is listed: a new fixture needs an expectation here.
    const reports = ["gitleaks", "semgrep", "trivy", "sarif", "junit"].flatMap((dir) =>
      readdirSync(fx(dir))
        .filter((f) => !f.endsWith(".toml") && !f.endsWith(".gitleaksignore"))
        .map((f) => `${dir}/${f}`),
    );
    expect(reports.sort()).toEqual(Object.keys(expectations).sort());
    for (const [report, code] of Object.entries(expectations)) {
      const run = await dpra(["gate", fx(...report.split("/"))]);
      expect({ report, code: run.code, stderr: run.code === 2 ? run.stderr : "" }).toEqual({ report, code, stderr: "" });
    }
  });

  it("exits 2 on a missing, malformed or unrecognised report, naming the file", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dpra-cli-"));
    writeFileSync(path.join(dir, "broken.json"), '{"SchemaVersion": 2, "Results": [');
    writeFileSync(path.join(dir, "other.json"), '{"hello": 1}');
    const missing = await dpra(["gate", "nope.json"], dir);
    expect(missing).toMatchObject({ code: 2, stdout: "" });
    expect(missing.stderr).toBe("dpra gate: nope.json: the report file does not exist; check the path and that the tool ran and wrote it\n");
    const broken = await dpra(["gate", "broken.json", "other.json"], dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("dpra gate: broken.json: at line 1, column 34 (Results): not valid JSON: unexpected end of the file");
    expect(broken.stderr).toContain("dpra gate: other.json: at (root): unrecognised report format");
  });

  it("treats a missing gitleaks report as no leaks with --tool gitleaks", async () => {
    const run = await dpra(["gate", "--tool", "gitleaks", "gitleaks-report.json"]);
    expect(run.code).toBe(0);
  });

  it("exits 2 on bad usage", async () => {
    expect((await dpra([])).code).toBe(2);
    expect((await dpra(["gate"])).stderr).toContain("give at least one report file");
    expect((await dpra(["gate", "--format", "html", "x.json"])).stderr).toContain('--format must be one of md, json, sarif, not "html"');
    expect((await dpra(["gate", "--frobnicate", "x.json"])).code).toBe(2);
    const unknown = await dpra(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('dpra: unknown command "frobnicate"');
  });

  it("prints help with exit 0", async () => {
    const top = await dpra(["--help"]);
    expect(top).toMatchObject({ code: 0 });
    expect(top.stdout).toMatch(/gate +apply the dpra.yaml policy/);
    expect(top.stdout).toMatch(/deploy +deploy an AWS environment/);
    expect(top.stdout).toContain(EXIT_CODES_HELP);
    const gate = await dpra(["gate", "--help"]);
    expect(gate.code).toBe(0);
    expect(gate.stdout).toContain(EXIT_CODES_HELP);
  });

  it("applies the policy of dpra.yaml: thresholds and allowlist", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dpra-cli-"));
    const report = fx("trivy", "trivy-repo-misconfig-dockerfile.json");
    writeFileSync(
      path.join(dir, "dpra.yaml"),
      ["policy:", "  allowlist:", "    - rule: DS002", "      reason: the runtime image sets a non-root USER", "      expires: 2026-12-31", "      owner: platform"].join("\n"),
    );
    // ./dpra.yaml is picked up without --config.
    expect((await dpra(["gate", report], dir)).code).toBe(0);
    writeFileSync(path.join(dir, "strict.yaml"), "policy:\n  failOn:\n    sast: medium\n");
    expect((await dpra(["gate", "--config", "strict.yaml", fx("semgrep", "juice-shop-semgrep-report.json")], dir)).code).toBe(1);
  });

  it("exits 2 with the config problem when dpra.yaml is invalid", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dpra-cli-"));
    writeFileSync(path.join(dir, "dpra.yaml"), "policy:\n  allowlist:\n    - rule: CVE-2024-1\n      expires: 2026-12-31\n");
    const run = await dpra(["gate", fx("gitleaks", "gitleaks-empty.json")], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("policy.allowlist[0].reason");
    expect((await dpra(["gate", "--config", "absent.yaml", fx("gitleaks", "gitleaks-empty.json")], dir)).stderr).toBe(
      "dpra gate: absent.yaml: the config file does not exist; check the path\n",
    );
  });

  it("writes JSON and SARIF to --output, appends Markdown to --summary, and reads a baseline back", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dpra-cli-"));
    const report = fx("gitleaks", "pygoat-gitleaks-git-report.json");
    const first = await dpra(["gate", report, "--format", "json", "--output", "out/gate.json", "--summary", "summary.md"], dir);
    expect(first.code).toBe(1);
    expect(first.stdout).toBe("dpra gate failed: 11 blocking findings\n");
    const json = JSON.parse(readFileSync(path.join(dir, "out/gate.json"), "utf8")) as { schema: string; findings: unknown[] };
    expect(json.schema).toBe("dpra-gate/v1");
    expect(json.findings).toHaveLength(11);
    expect(readFileSync(path.join(dir, "summary.md"), "utf8")).toContain("## ❌ dpra gate failed: 11 blocking findings");
    // With the previous report as the baseline, nothing is new.
    expect((await dpra(["gate", report, "--baseline", "out/gate.json"], dir)).code).toBe(0);
    // policy.baseline in dpra.yaml does the same, relative to the config file.
    writeFileSync(path.join(dir, "dpra.yaml"), "policy:\n  baseline: out/gate.json\n");
    expect((await dpra(["gate", report], dir)).code).toBe(0);
    const sarif = await dpra(["gate", report, "-f", "sarif", "-o", "gate.sarif"], dir);
    expect(sarif.code).toBe(0);
    expect(existsSync(path.join(dir, "gate.sarif"))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, "gate.sarif"), "utf8"))).toMatchObject({ version: "2.1.0" });
  });
});
