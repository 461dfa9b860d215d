import { readdirSync, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ReportError } from "../../src/findings/errors.js";
import { parseReport, parseReportFile } from "../../src/findings/parse.js";
import { parseTrivyStream } from "../../src/findings/trivy-stream.js";
import { normalizeTrivyCheckId } from "../../src/findings/normalize.js";
import { pickFixedVersion } from "../../src/findings/versions.js";
import { fixturePath } from "../support/fixtures.js";
import { fixtureJson, parseFixture, tally, unique } from "../support/findings.js";

describe("trivy JSON", () => {
  it("parses an npm repo scan: one fixed MEDIUM vulnerability, packages ignored", async () => {
    const set = await parseFixture("trivy", "trivy-repo-npm.json");
    expect(set).toMatchObject({ tool: "trivy", format: "trivy-json", toolErrors: [] });
    expect(set.findings).toHaveLength(1);
    expect(set.findings[0]).toMatchObject({
      rule: "CVE-2019-11358",
      category: "vulnerability",
      severity: "medium",
      location: { path: "package-lock.json", package: "jquery", version: "3.3.9" },
      fixAvailable: true,
      fixedVersion: "3.4.0",
    });
  });

  it("parses the centos image: a will_not_fix vulnerability has no fix", async () => {
    const set = await parseFixture("trivy", "trivy-image-centos-7.json");
    expect(set.findings).toHaveLength(3);
    expect(tally(set.findings)).toEqual({ "vulnerability:medium": 1, "vulnerability:low": 2 });
    const bash = set.findings.find((f) => f.rule === "CVE-2019-18276")!;
    expect(bash).toMatchObject({ fixAvailable: false, location: { package: "bash" } });
    expect(bash.fixedVersion).toBeUndefined();
    expect(bash.message).toContain("no fixed version, status will_not_fix");
    const fixed = set.findings.filter((f) => f.fixAvailable);
    expect(fixed.map((f) => f.fixedVersion)).toEqual(["1:1.0.2k-19.el7", "1:1.0.2k-19.el7"]);
  });

  it("parses the same image scanned with --ignore-unfixed", async () => {
    const set = await parseFixture("trivy", "trivy-image-centos-7-ignore-unfixed.json");
    expect(set.findings).toHaveLength(2);
    expect(tally(set.findings)).toEqual({ "vulnerability:medium": 1, "vulnerability:low": 1 });
    expect(set.findings.every((f) => f.fixAvailable === true)).toBe(true);
  });

  it("reads comma-separated FixedVersion and VEX-suppressed ExperimentalModifiedFindings", async () => {
    const set = await parseFixture("trivy", "trivy-npm-with-suppressed-vex.json");
    expect(set.findings).toHaveLength(2);
    expect(tally(set.findings)).toEqual({ "vulnerability:high": 1, "vulnerability:low:suppressed": 1 });
    const active = set.findings.find((f) => !f.suppressed)!;
    // "3.1.0, 2.6.9" for installed 3.0.1: the nearest upgrade is 3.1.0.
    expect(active).toMatchObject({ rule: "CVE-2017-20165", fixAvailable: true, fixedVersion: "3.1.0" });
    expect(active.message).toContain("all fixed versions: 3.1.0, 2.6.9");
    const vex = set.findings.find((f) => f.suppressed)!;
    expect(vex).toMatchObject({ rule: "CVE-2017-16137", fixedVersion: "3.1.0", location: { package: "debug", version: "3.0.1" } });
    expect(vex.suppressed).toEqual({ kind: "external", justification: "not_affected, vulnerable_code_not_in_execute_path, source ./vex.json" });
  });

  it("normalises old and new misconfiguration IDs to one rule and one fingerprint", async () => {
    const now = await parseFixture("trivy", "trivy-repo-misconfig-dockerfile.json");
    const before = await parseFixture("trivy", "trivy-repo-misconfig-dockerfile-pre-v0.69.json");
    expect(now.findings).toHaveLength(1);
    expect(before.findings).toHaveLength(1);
    expect(now.findings[0]).toMatchObject({ rule: "DS-0002", severity: "high", category: "misconfiguration", location: { path: "Dockerfile" } });
    expect(now.findings[0]!.aliases).toBeUndefined();
    expect(before.findings[0]).toMatchObject({ rule: "DS-0002", aliases: ["DS002", "AVD-DS-0002"] });
    expect(before.findings[0]!.fingerprint).toBe(now.findings[0]!.fingerprint);
    expect(["DS002", "AVD-DS-0002", "DS-0002", "AVD-AWS-0143", "AWS-0104", "ds2"].map(normalizeTrivyCheckId)).toEqual([
      "DS-0002",
      "DS-0002",
      "DS-0002",
      "AWS-0143",
      "AWS-0104",
      "DS-0002",
    ]);
  });

  it("parses terraform misconfigurations with cause lines; a result without Misconfigurations is fine", async () => {
    const set = await parseFixture("trivy", "trivy-repo-misconfig-terraform-remote-submodule.json");
    expect(set.findings).toHaveLength(2);
    expect(tally(set.findings)).toEqual({ "misconfiguration:critical": 1, "misconfiguration:low": 1 });
    expect(set.findings[0]).toMatchObject({
      rule: "AWS-0104",
      location: { path: "terraform-aws-modules/vpc/aws/modules/vpc-endpoints/modules/vpc-endpoints/main.tf", startLine: 107, endLine: 107 },
    });
    expect(unique(set.findings.map((f) => f.fingerprint))).toBe(true);
    expect(set.findings[0]!.message).not.toContain("\u001b[");
  });

  it("parses the pre-v0.69 cloud check ID AVD-AWS-0143", async () => {
    const set = await parseFixture("trivy", "defectdojo-trivy-config-issue_14136.json");
    expect(set.findings).toHaveLength(1);
    expect(set.findings[0]).toMatchObject({ rule: "AWS-0143", severity: "low", aliases: ["AVD-AWS-0143"], location: { path: "../../aws-credentials/main.tf", startLine: 20 } });
  });

  it("parses secrets without copying the match", async () => {
    const set = await parseFixture("trivy", "trivy-repo-secrets.json");
    expect(set.findings).toHaveLength(2);
    expect(tally(set.findings)).toEqual({ "secret:critical": 1, "secret:high": 1 });
    expect(set.findings[0]).toMatchObject({ rule: "aws-access-key-id", location: { path: "deploy.sh", startLine: 3 } });
    expect(JSON.stringify(set)).not.toContain("AWS_ACCESS_KEY_ID=");
  });

  it("parses an older mixed report: vulnerabilities without Status, misconfig, secrets", async () => {
    const set = await parseFixture("trivy", "defectdojo-trivy-misconfigurations_and_secrets.json");
    expect(set.findings).toHaveLength(5);
    expect(tally(set.findings)).toEqual({ "vulnerability:high": 1, "vulnerability:medium": 1, "misconfiguration:high": 1, "secret:critical": 2 });
    expect(set.findings.find((f) => f.category === "misconfiguration")).toMatchObject({ rule: "DS-0002", aliases: ["DS002"] });
    expect(set.findings.filter((f) => f.category === "vulnerability").every((f) => f.fixAvailable === true)).toBe(true);
    expect(JSON.stringify(set)).not.toContain("ghp_");
  });

  it("passes a clean image: a result without a Vulnerabilities key", async () => {
    const set = await parseFixture("trivy", "defectdojo-trivy-image-no-vulns.json");
    expect(set).toEqual({ tool: "trivy", format: "trivy-json", findings: [], toolErrors: [], source: fixturePath("trivy", "defectdojo-trivy-image-no-vulns.json") });
  });

  it("reads licenses", () => {
    const report = {
      SchemaVersion: 2,
      ArtifactName: ".",
      Results: [
        {
          Target: "Node.js",
          Class: "license",
          Licenses: [{ Severity: "HIGH", Category: "restricted", PkgName: "some-gpl-lib", FilePath: "", Name: "GPL-3.0-only", Confidence: 1, Link: "" }],
        },
      ],
    };
    const set = parseReport(JSON.stringify(report));
    expect(set.findings).toHaveLength(1);
    expect(set.findings[0]).toMatchObject({ category: "license", rule: "GPL-3.0-only", severity: "high", location: { package: "some-gpl-lib" } });
  });

  it("names the element and field of a malformed vulnerability", () => {
    const raw = fixtureJson("trivy", "trivy-image-centos-7.json") as { Results: { Vulnerabilities: Record<string, unknown>[] }[] };
    delete raw.Results[0]!.Vulnerabilities[2]!.Severity;
    expect(() => parseReport(JSON.stringify(raw), { file: "trivy.json" })).toThrow(/trivy\.json: at Results\[0\]\.Vulnerabilities\[2\]\.Severity: not a valid trivy JSON report/);
  });

  it("picks the nearest fixed version on the installed release line", () => {
    expect(pickFixedVersion("3.0.1", ["2.6.9", "3.1.0", "3.2.7", "4.3.1"])).toBe("3.1.0");
    expect(pickFixedVersion("4.0.0", ["2.6.9", "3.1.0", "3.2.7", "4.3.1"])).toBe("4.3.1");
    expect(pickFixedVersion("1:1.0.2k-16.el7", ["1:1.0.2k-19.el7"])).toBe("1:1.0.2k-19.el7");
    expect(pickFixedVersion(undefined, [])).toBeUndefined();
  });
});

describe("trivy streaming", () => {
  const trivyFixtures = readdirSync(fixturePath("trivy")).filter((f) => f.startsWith("trivy-") || f.startsWith("defectdojo-trivy"));
  const jsonFixtures = trivyFixtures.filter((f) => f.endsWith(".json") && !f.includes("cyclonedx"));

  it.each(jsonFixtures)("streams %s to the same findings as the in-memory parser", async (name) => {
    const streamed = await parseReportFile(fixturePath("trivy", name), { stream: "always" });
    const whole = await parseReportFile(fixturePath("trivy", name), { stream: "never" });
    expect(streamed).toEqual(whole);
  });

  it("gives the same result whatever the chunk boundaries (1 to 7 bytes)", async () => {
    const bytes = readFileSync(fixturePath("trivy", "trivy-npm-with-suppressed-vex.json"));
    const expected = parseReport(bytes.toString("utf8"));
    for (const size of [1, 2, 3, 7]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(await parseTrivyStream(Readable.from(chunks), "chunked.json")).toEqual(expected);
    }
  });

  it("handles escaped quotes and backslashes at every chunk boundary, in read and skipped values", async () => {
    const tricky = 'say \\"hi\\" \\\\ C:\\\\path\\\\ \\\\"';
    const report = {
      SchemaVersion: 2,
      Results: [
        {
          Target: 'a\\"b',
          Packages: [{ Name: tricky, Notes: ["]}", "{[", tricky] }],
          Vulnerabilities: [{ VulnerabilityID: "CVE-1", PkgName: tricky, Severity: "LOW", Title: `${tricky}}]` }],
        },
      ],
    };
    const text = JSON.stringify(report);
    const expected = parseReport(text);
    expect(expected.findings[0]!.location.package).toBe(tricky);
    const bytes = Buffer.from(text);
    for (const size of [1, 2, 3, 4, 5]) {
      for (let offset = 0; offset < size; offset++) {
        const chunks = [bytes.subarray(0, offset)];
        for (let i = offset; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
        expect(await parseTrivyStream(Readable.from(chunks.filter((c) => c.length > 0)), "escapes.json")).toEqual(expected);
      }
    }
  });

  it("keeps multi-byte characters split across chunks", async () => {
    const report = {
      SchemaVersion: 2,
      Results: [{ Target: "päckage-lock.json", Vulnerabilities: [{ VulnerabilityID: "CVE-1", PkgName: "ü€", Severity: "HIGH", Title: "naïve 🚀" }] }],
    };
    const bytes = Buffer.from(JSON.stringify(report));
    const chunks = Array.from(bytes, (b) => Buffer.from([b]));
    const set = await parseTrivyStream(Readable.from(chunks), "utf8.json");
    expect(set.findings[0]).toMatchObject({ location: { path: "päckage-lock.json", package: "ü€" }, title: "naïve 🚀" });
  });

  it("fails on a truncated report with the JSON path and byte offset", async () => {
    const bytes = readFileSync(fixturePath("trivy", "trivy-image-centos-7.json"));
    const truncated = bytes.subarray(0, Math.floor(bytes.length / 2));
    const err = await parseTrivyStream(Readable.from([truncated]), "cut.json").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect((err as Error).message).toMatch(/^cut\.json: at Results\[0\]\.Vulnerabilities\[\d\] \(byte \d+\): not valid JSON: unexpected end of the file/);
  });

  it("fails on a syntax error with the JSON path and byte offset", async () => {
    const text = '{"SchemaVersion": 2, "Results": [{"Target": "x" "Class": "os-pkgs"}]}';
    const err = await parseTrivyStream(Readable.from([Buffer.from(text)]), "bad.json").catch((e: unknown) => e);
    expect((err as Error).message).toBe('bad.json: at Results[0] (byte 48): not valid JSON: expected "," or "}" but found """');
  });

  it("rejects a report without SchemaVersion", async () => {
    await expect(parseTrivyStream(Readable.from([Buffer.from('{"Results": []}')]), "x.json")).rejects.toThrow(/SchemaVersion is missing/);
  });
});

describe("trivy SARIF and CycloneDX", () => {
  it("parses trivy SARIF: security-severity, package and fixed version from the message", async () => {
    const set = await parseFixture("trivy", "trivy-image-alpine-310.sarif");
    expect(set).toMatchObject({ tool: "trivy", format: "sarif" });
    expect(set.findings).toHaveLength(4);
    expect(tally(set.findings)).toEqual({ "vulnerability:medium": 4 });
    expect(set.findings.map((f) => `${f.rule} ${f.location.package} ${f.location.version} ${f.fixedVersion}`)).toEqual([
      "CVE-2019-1549 libcrypto1.1 1.1.1c-r0 1.1.1d-r0",
      "CVE-2019-1551 libcrypto1.1 1.1.1c-r0 1.1.1d-r2",
      "CVE-2019-1549 libssl1.1 1.1.1c-r0 1.1.1d-r0",
      "CVE-2019-1551 libssl1.1 1.1.1c-r0 1.1.1d-r2",
    ]);
    expect(unique(set.findings.map((f) => f.fingerprint))).toBe(true);
  });

  it("parses CycloneDX 1.7 vulnerabilities with lowercase ratings", async () => {
    const set = await parseFixture("trivy", "trivy-repo-npm-cyclonedx.json");
    expect(set).toMatchObject({ tool: "trivy", format: "cyclonedx", toolErrors: [] });
    expect(set.findings).toHaveLength(1);
    expect(set.findings[0]).toMatchObject({
      rule: "CVE-2019-11358",
      severity: "medium",
      location: { package: "jquery", version: "3.3.9" },
      fixAvailable: true,
      fixedVersion: "3.4.0",
    });
  });
});
