import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load.js";
import type { PolicyConfig } from "../../src/config/sections/policy.js";
import type { DpraConfigInput } from "../../src/config/schema.js";
import type { FindingSet } from "../../src/findings/model.js";
import { parseReport } from "../../src/findings/parse.js";
import { evaluateGate } from "../../src/policy/gate.js";
import { renderJson } from "../../src/policy/render.js";
import { parseFixture } from "../support/findings.js";
import { fixturePath } from "../support/fixtures.js";

const today = new Date("2026-06-15T12:00:00Z");

function policy(input: DpraConfigInput["policy"] = {}): PolicyConfig {
  return validateConfig({ policy: input }).policy;
}

describe("policy gate", () => {
  it("blocks per category threshold and says why", async () => {
    const trivy = await parseFixture("trivy", "defectdojo-trivy-misconfigurations_and_secrets.json");
    const result = evaluateGate([trivy], policy(), { today });
    // Defaults: secret low, vulnerability high, misconfiguration high.
    expect(result.passed).toBe(false);
    expect(result.counts).toMatchObject({ total: 5, blocking: 4, belowThreshold: 1 });
    expect(result.blocking.map((g) => `${g.finding.category}:${g.finding.severity}`).sort()).toEqual([
      "misconfiguration:high",
      "secret:critical",
      "secret:critical",
      "vulnerability:high",
    ]);
    for (const g of result.blocking) expect(g.reason).toMatch(/meets the \w+ threshold \(policy\.failOn\.\w+: \w+\)/);
    expect(result.belowThreshold[0]!.reason).toBe("medium is below the vulnerability threshold (policy.failOn.vulnerability: high)");
    expect(result.counts.blockingByCategory.secret.critical).toBe(2);
    expect(result.verdict).toBe("failed: 4 blocking findings");
  });

  it("turns a category off with never and lowers a threshold", async () => {
    const trivy = await parseFixture("trivy", "defectdojo-trivy-misconfigurations_and_secrets.json");
    const result = evaluateGate([trivy], policy({ failOn: { secret: "never", misconfiguration: "never", vulnerability: "medium" } }), { today });
    expect(result.blocking.map((g) => g.finding.rule).sort()).toEqual(["CVE-2021-28363", "CVE-2021-33503"]);
    expect(result.belowThreshold.find((g) => g.finding.category === "secret")!.reason).toBe("secret findings never block (policy.failOn.secret: never)");
  });

  it("passes a clean report", async () => {
    const result = evaluateGate([await parseFixture("trivy", "defectdojo-trivy-image-no-vulns.json")], policy(), { today });
    expect(result).toMatchObject({ passed: true, blocking: [], verdict: "passed: no blocking findings in 0 findings from 1 report" });
  });

  it("ignoreUnfixed lets vulnerabilities without a fix through, and only those", async () => {
    const centos = await parseFixture("trivy", "trivy-image-centos-7.json");
    const strict = evaluateGate([centos], policy({ failOn: { vulnerability: "low" } }), { today });
    expect(strict.counts.blocking).toBe(3);
    const lenient = evaluateGate([centos], policy({ failOn: { vulnerability: "low" }, ignoreUnfixed: true }), { today });
    expect(lenient.counts).toMatchObject({ blocking: 2, unfixed: 1 });
    expect(lenient.unfixed[0]).toMatchObject({ finding: { rule: "CVE-2019-18276" }, reason: "no fixed version exists yet and policy.ignoreUnfixed is on" });
  });

  it("never blocks suppressed findings, whatever the threshold", async () => {
    const vex = await parseFixture("trivy", "trivy-npm-with-suppressed-vex.json");
    const nosemgrep = await parseFixture("semgrep", "semgrep-e2e-sarif-nosemgrep-and-error.sarif");
    const result = evaluateGate([vex, nosemgrep], policy({ failOn: { vulnerability: "info", sast: "info" } }), { today });
    expect(result.counts).toMatchObject({ total: 3, suppressed: 2, blocking: 1 });
    expect(result.suppressed.map((g) => g.reason)).toEqual([
      "suppressed at the source (external: not_affected, vulnerable_code_not_in_execute_path, source ./vex.json)",
      "suppressed at the source (inSource)",
    ]);
  });

  describe("allowlist", () => {
    it("allows by rule until the entry expires, with its reason", async () => {
      const set = await parseFixture("trivy", "trivy-repo-misconfig-dockerfile.json");
      const entry = { rule: "DS-0002", reason: "the base image sets USER in its own layer", expires: "2026-06-15", owner: "platform-team" };
      const active = evaluateGate([set], policy({ allowlist: [entry] }), { today });
      expect(active.passed).toBe(true);
      expect(active.allowed[0]!.reason).toBe("allowed until 2026-06-15 by allowlist entry #1 (rule DS-0002): the base image sets USER in its own layer (owner platform-team)");
      expect(active.allowed[0]!.allowlist).toEqual({ index: 0, reason: entry.reason, expires: "2026-06-15", owner: "platform-team", expired: false });
    });

    it("blocks when the entry expired, and says so", async () => {
      const set = await parseFixture("trivy", "trivy-repo-misconfig-dockerfile.json");
      const entry = { rule: "DS-0002", reason: "the base image sets USER in its own layer", expires: "2026-06-14" };
      const result = evaluateGate([set], policy({ allowlist: [entry] }), { today });
      expect(result.passed).toBe(false);
      expect(result.blocking[0]!.reason).toBe(
        "allowlist entry #1 (rule DS-0002) expired on 2026-06-14 (it said: the base image sets USER in its own layer); fix the finding or renew the entry with a new expires date and reason",
      );
      expect(result.blocking[0]!.allowlist?.expired).toBe(true);
    });

    it("matches old trivy IDs (DS002, AVD-DS-0002) against reports of any trivy version", async () => {
      const now = await parseFixture("trivy", "trivy-repo-misconfig-dockerfile.json");
      const before = await parseFixture("trivy", "trivy-repo-misconfig-dockerfile-pre-v0.69.json");
      for (const rule of ["DS002", "AVD-DS-0002", "ds-0002"]) {
        const result = evaluateGate([now, before], policy({ allowlist: [{ rule, reason: "accepted for the legacy image", expires: "2027-01-01" }] }), { today });
        expect(result.counts).toMatchObject({ allowed: 2, blocking: 0 });
      }
    });

    it("allows one finding by fingerprint and restricts entries by path and tool", async () => {
      const leaks = await parseFixture("gitleaks", "pygoat-gitleaks-git-report.json");
      const first = leaks.findings[0]!;
      const byFingerprint = evaluateGate([leaks], policy({ allowlist: [{ fingerprint: first.fingerprint, reason: "lab token from OWASP PyGoat", expires: "2026-12-31" }] }), {
        today,
      });
      expect(byFingerprint.counts).toMatchObject({ allowed: 1, blocking: 10 });
      const jsFiles = leaks.findings.filter((f) => f.location.path!.startsWith("pygoat/introduction/static/")).length;
      expect(jsFiles).toBeGreaterThan(0);
      const byPath = evaluateGate(
        [leaks],
        policy({ allowlist: [{ rule: "generic-api-key", path: "pygoat/introduction/static/", reason: "CSRF tokens in lab pages", expires: "2026-12-31" }] }),
        { today },
      );
      expect(byPath.counts.allowed).toBe(leaks.findings.filter((f) => f.rule === "generic-api-key" && f.location.path!.startsWith("pygoat/introduction/static/")).length);
      const otherTool = evaluateGate([leaks], policy({ allowlist: [{ rule: "jwt", tool: "trivy", reason: "only for trivy's findings", expires: "2026-12-31" }] }), { today });
      expect(otherTool.counts.allowed).toBe(0);
      expect(otherTool.unusedAllowlist).toEqual([{ index: 0, reason: "only for trivy's findings", expires: "2026-12-31", owner: undefined, expired: false }]);
    });

    it("requires a reason and an expiry date in dpra.yaml", () => {
      expect(() => validateConfig({ policy: { allowlist: [{ rule: "CVE-2024-1", expires: "2026-01-01" }] } })).toThrow(/policy\.allowlist\[0\]\.reason/);
      expect(() => validateConfig({ policy: { allowlist: [{ rule: "CVE-2024-1", reason: "because we accept it" }] } })).toThrow(/policy\.allowlist\[0\]\.expires/);
      expect(() => validateConfig({ policy: { allowlist: [{ rule: "CVE-2024-1", reason: "because we accept it", expires: "next week" }] } })).toThrow(/YYYY-MM-DD/);
      expect(() => validateConfig({ policy: { allowlist: [{ reason: "because we accept it", expires: "2026-01-01" }] } })).toThrow(/needs a rule or a fingerprint/);
    });
  });

  describe("baseline", () => {
    it("blocks only findings that are not in the baseline", async () => {
      const juice = await parseFixture("semgrep", "juice-shop-semgrep-report.json");
      const older: FindingSet = { ...juice, findings: juice.findings.slice(0, 8) };
      const result = evaluateGate([juice], policy({ failOn: { sast: "medium" } }), { today, baseline: older.findings });
      expect(result.counts).toMatchObject({ total: 11, baselined: 8, blocking: 3 });
      expect(result.blocking.map((g) => g.finding.fingerprint)).toEqual(juice.findings.slice(8).map((f) => f.fingerprint));
      expect(result.blocking[0]!.reason).toBe("medium meets the sast threshold (policy.failOn.sast: medium) and it is not in the baseline");
      expect(result.baselineSize).toBe(8);
    });

    it("reads a baseline back from the gate's own JSON report", async () => {
      const leaks = await parseFixture("gitleaks", "pygoat-gitleaks-git-report.json");
      const first = evaluateGate([leaks], policy(), { today });
      const baseline = parseReport(renderJson(first), { file: "baseline.json" });
      expect(baseline.format).toBe("dpra-json");
      expect(baseline.findings).toHaveLength(11);
      const second = evaluateGate([leaks], policy(), { today, baseline: baseline.findings });
      expect(second).toMatchObject({ passed: true, counts: { baselined: 11, blocking: 0 } });
    });

    it("lets an expired allowlist entry block even a baselined finding", async () => {
      const set = await parseFixture("trivy", "trivy-repo-misconfig-dockerfile.json");
      const result = evaluateGate([set], policy({ allowlist: [{ rule: "DS-0002", reason: "temporary acceptance", expires: "2026-01-01" }] }), {
        today,
        baseline: set.findings,
      });
      expect(result.blocking).toHaveLength(1);
      expect(result.blocking[0]!.reason).toMatch(/expired on 2026-01-01/);
    });
  });

  describe("tool errors", () => {
    it("reports them without failing, unless failOnToolErrors is on", async () => {
      const errors = await parseFixture("semgrep", "semgrep-e2e-sarif-when-errors.sarif");
      // The run loaded no rule (sast-no-rules), accepted here so that only the tool error is judged.
      const accepted = { allowlist: [{ rule: "sast-no-rules", reason: "the golden of a run without rules, for its tool error", expires: "2026-12-31" }] };
      const lenient = evaluateGate([errors], policy(accepted), { today });
      expect(lenient).toMatchObject({ passed: true, toolErrorsBlock: false });
      expect(lenient.toolErrors).toEqual([{ tool: "semgrep", format: "sarif", message: "error: SemgrepError: File not found: targets/basic/inexistent.py" }]);
      const strict = evaluateGate([errors], policy({ ...accepted, failOnToolErrors: true }), { today });
      expect(strict).toMatchObject({ passed: false, toolErrorsBlock: true, verdict: "failed: 1 tool error(s) and policy.failOnToolErrors is on" });
    });
  });

  it("fails on failing tests, with their names, and reports the counts", async () => {
    const vitest = await parseFixture("junit", "vitest-4.1.12-junit-failures.xml");
    const result = evaluateGate([vitest], policy(), { today });
    expect(result.counts.blocking).toBe(3);
    expect(result.blocking.map((g) => g.finding.message.split(": ")[0])).toEqual([
      "vt/broken-import.test.ts",
      "vt/math.test.ts › math > subtracts",
      "vt/math.test.ts › math > throws a TypeError",
    ]);
    expect(result.reports).toEqual([
      {
        source: fixturePath("junit", "vitest-4.1.12-junit-failures.xml"),
        tool: "junit",
        format: "junit",
        findings: 3,
        tests: { passed: 2, failed: 3, skipped: 2, errors: 0, total: 7 },
      },
    ]);
  });
});
