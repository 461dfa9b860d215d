import { DescribeImageScanFindingsCommand, ScanNotFoundException } from "@aws-sdk/client-ecr";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fromBasic, fromEnhanced, waitForScanFindings } from "../../../src/aws/ecr/scan.js";
import { fingerprintOf } from "../../../src/findings/normalize.js";
import { evaluateGate } from "../../../src/policy/gate.js";
import { PolicyConfig } from "../../../src/config/sections/policy.js";
import { DIGEST_A, ecrMock, registry } from "../../support/ecr-stubs.js";

let ecr: ReturnType<typeof ecrMock>;
beforeEach(() => (ecr = ecrMock()));
afterEach(() => {
  ecr.restore();
  vi.useRealTimers();
});

const image = { repository: "fruit-api", digest: DIGEST_A };

// Shapes follow the ECR API reference for DescribeImageScanFindings (basic: ImageScanFinding;
// enhanced: EnhancedImageScanFinding from Amazon Inspector). Values are made up for the tests.
const basicFinding = {
  name: "CVE-2023-0464",
  description: "A security vulnerability has been identified in all supported versions of OpenSSL",
  uri: "https://security-tracker.debian.org/tracker/CVE-2023-0464",
  severity: "HIGH" as const,
  attributes: [
    { key: "package_version", value: "3.0.8-r0" },
    { key: "package_name", value: "openssl" },
    { key: "CVSS2_SCORE", value: "7.5" },
  ],
};
const enhancedFinding = {
  awsAccountId: "111111111111",
  findingArn: "arn:aws:inspector2:eu-west-1:111111111111:finding/abc",
  severity: "CRITICAL",
  status: "ACTIVE",
  title: "CVE-2024-21538 - cross-spawn",
  type: "PACKAGE_VULNERABILITY",
  fixAvailable: "YES",
  packageVulnerabilityDetails: {
    vulnerabilityId: "CVE-2024-21538",
    sourceUrl: "https://nvd.nist.gov/vuln/detail/CVE-2024-21538",
    vulnerablePackages: [{ name: "cross-spawn", version: "7.0.3", fixedInVersion: "7.0.5", filePath: "/app/node_modules/cross-spawn/package.json", packageManager: "NODE" }],
  },
};

describe("waitForScanFindings", () => {
  it("waits through ScanNotFound and IN_PROGRESS with backoff, then maps every page of findings", async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .rejectsOnce(new ScanNotFoundException({ message: "scan not found", $metadata: {} }))
      .resolvesOnce({ imageScanStatus: { status: "IN_PROGRESS" } })
      .resolvesOnce({ imageScanStatus: { status: "COMPLETE" }, imageScanFindings: { findings: [basicFinding] }, nextToken: "p2" })
      .resolvesOnce({ imageScanStatus: { status: "COMPLETE" }, imageScanFindings: { enhancedFindings: [enhancedFinding] } });
    const sleeps: number[] = [];
    const out = await waitForScanFindings(registry(), image, { timeoutSeconds: 600, sleep: async (ms) => void sleeps.push(ms) });
    expect(sleeps).toEqual([5000, 10000]);
    expect(out.state).toBe("complete");
    expect(out.findings.tool).toBe("ecr");
    expect(out.findings.toolErrors).toEqual([]);
    expect(out.findings.findings.map((f) => [f.rule, f.severity, f.category])).toEqual([
      ["CVE-2023-0464", "high", "vulnerability"],
      ["CVE-2024-21538", "critical", "vulnerability"],
    ]);
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)[3]!.args[0].input).toMatchObject({ nextToken: "p2", imageId: { imageDigest: DIGEST_A } });
  });

  it("reports a timeout as a blocking tool failure, not as a clean result (fake timers)", async () => {
    vi.useFakeTimers();
    ecr.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: "IN_PROGRESS" } });
    const pending = waitForScanFindings(registry(), image, { timeoutSeconds: 60 });
    await vi.advanceTimersByTimeAsync(61_000);
    const out = await pending;
    expect(out.state).toBe("timeout");
    expect(out.status).toBe("IN_PROGRESS");
    expect(out.waitedSeconds).toBe(60);
    const message =
      `ECR scan of fruit-api@${DIGEST_A} did not finish within 60 s (last status IN_PROGRESS). ` +
      "Its findings are unknown: raise artifact.ecr.scanWaitSeconds or check the registry's scanning configuration.";
    expect(out.findings.findings).toMatchObject([{ tool: "ecr", category: "vulnerability", rule: "dpra/tool-failed", severity: "critical" }]);
    expect(out.findings.findings[0]!.message).toBe(`ecr did not complete its scan: ${message}`);
    expect(out.findings.toolErrors).toEqual([`ecr did not complete its scan: ${message}`]);
    // 5 s, 10 s, 20 s, then the remaining 25 s: bounded by the timeout.
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(5);
  });

  it("reports a failed or unsupported scan with ECR's description", async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: "UNSUPPORTED_IMAGE", description: "The operating system is not supported" } });
    const out = await waitForScanFindings(registry(), image, { timeoutSeconds: 60, sleep: async () => {} });
    expect(out).toMatchObject({ state: "failed", status: "UNSUPPORTED_IMAGE" });
    expect(out.findings.toolErrors[0]).toContain("ended with UNSUPPORTED_IMAGE: The operating system is not supported");
  });
});

describe("finding mapping", () => {
  it("maps a basic finding with package, version, link and a stable fingerprint", () => {
    expect(fromBasic(basicFinding)).toEqual({
      tool: "ecr",
      category: "vulnerability",
      rule: "CVE-2023-0464",
      severity: "high",
      message: basicFinding.description,
      location: { package: "openssl", version: "3.0.8-r0" },
      fingerprint: fingerprintOf("ecr", "vulnerability", "openssl", "3.0.8-r0", "CVE-2023-0464"),
      helpUri: basicFinding.uri,
    });
  });

  it("maps an enhanced finding with fix information and path", () => {
    expect(fromEnhanced(enhancedFinding)).toEqual({
      tool: "ecr",
      category: "vulnerability",
      rule: "CVE-2024-21538",
      severity: "critical",
      message: "CVE-2024-21538 - cross-spawn",
      location: { path: "app/node_modules/cross-spawn/package.json", package: "cross-spawn", version: "7.0.3" },
      fingerprint: fingerprintOf("ecr", "vulnerability", "cross-spawn", "7.0.3", "CVE-2024-21538"),
      title: "CVE-2024-21538 - cross-spawn",
      fixAvailable: true,
      fixedVersion: "7.0.5",
      helpUri: "https://nvd.nist.gov/vuln/detail/CVE-2024-21538",
    });
  });

  it("keeps suppressed enhanced findings as suppressed, drops closed ones, keeps unknown severities visible", () => {
    expect(fromEnhanced({ ...enhancedFinding, status: "SUPPRESSED" })?.suppressed).toEqual({ kind: "inspector-suppression-rule" });
    expect(fromEnhanced({ ...enhancedFinding, status: "CLOSED" })).toBeUndefined();
    expect(fromEnhanced({ ...enhancedFinding, severity: "UNTRIAGED" })?.severity).toBe("medium");
    expect(fromBasic({ ...basicFinding, severity: "INFORMATIONAL" }).severity).toBe("info");
    expect(
      fromEnhanced({
        ...enhancedFinding,
        fixAvailable: "NO",
        packageVulnerabilityDetails: { ...enhancedFinding.packageVulnerabilityDetails, vulnerablePackages: [{ name: "x", version: "1", fixedInVersion: "NotAvailable" }] },
      }),
    ).toMatchObject({
      fixAvailable: false,
    });
  });
});

describe("policy gate on ECR findings", () => {
  const today = new Date("2026-11-26T00:00:00Z");
  it("blocks on a timeout by default, and lets an allowlisted timeout pass with its reason", async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: "IN_PROGRESS" } });
    const out = await waitForScanFindings(registry(), image, { timeoutSeconds: 10, sleep: async () => {} });
    expect(evaluateGate([out.findings], PolicyConfig.parse({}), { today }).passed).toBe(false);
    const allow = PolicyConfig.parse({ allowlist: [{ rule: "dpra/tool-failed", reason: "ECR scanning is being enabled for this registry", expires: "2026-12-31" }] });
    expect(evaluateGate([out.findings], allow, { today }).passed).toBe(true);
  });

  it("blocks on a high basic finding under the default threshold, passes a medium one", () => {
    const high = { tool: "ecr" as const, format: "ecr-image-scan-findings", findings: [fromBasic(basicFinding)], toolErrors: [] };
    const medium = { ...high, findings: [fromBasic({ ...basicFinding, severity: "MEDIUM" })] };
    expect(evaluateGate([high], PolicyConfig.parse({}), { today }).passed).toBe(false);
    expect(evaluateGate([medium], PolicyConfig.parse({}), { today }).passed).toBe(true);
  });
});
