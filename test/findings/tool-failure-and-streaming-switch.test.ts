import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { validateConfig } from "../../src/config/load.js";
import { STREAM_THRESHOLD_BYTES, parseReportFile } from "../../src/findings/parse.js";
import { TOOL_FAILED_RULE, toolFailureSet } from "../../src/findings/tool-failure.js";
import * as trivyStream from "../../src/findings/trivy-stream.js";
import { evaluateGate } from "../../src/policy/gate.js";
import { fixturePath } from "../support/fixtures.js";

vi.mock("../../src/findings/trivy-stream.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/findings/trivy-stream.js")>();
  return { ...original, parseTrivyStream: vi.fn(original.parseTrivyStream) };
});

describe("streaming switch", () => {
  it("streams trivy JSON from STREAM_THRESHOLD_BYTES on and reads small reports whole", async () => {
    const spy = vi.mocked(trivyStream.parseTrivyStream);
    spy.mockClear();
    await parseReportFile(fixturePath("trivy", "trivy-image-centos-7.json"));
    expect(spy).not.toHaveBeenCalled();

    const dir = mkdtempSync(path.join(os.tmpdir(), "dpra-stream-"));
    const file = path.join(dir, "large.json");
    const vulnerability = { VulnerabilityID: "CVE-2024-0001", PkgName: "lib", InstalledVersion: "1.0.0", FixedVersion: "1.0.1", Severity: "HIGH", Description: "x".repeat(1000) };
    const count = Math.ceil(STREAM_THRESHOLD_BYTES / 1100);
    const report = {
      SchemaVersion: 2,
      ArtifactName: ".",
      Results: [{ Target: "package-lock.json", Vulnerabilities: Array.from({ length: count }, (_, i) => ({ ...vulnerability, PkgName: `lib-${i}` })) }],
    };
    writeFileSync(file, JSON.stringify(report));
    const set = await parseReportFile(file);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(set.findings).toHaveLength(count);
    expect(set.findings[count - 1]).toMatchObject({ rule: "CVE-2024-0001", severity: "high", location: { package: `lib-${count - 1}` }, fixedVersion: "1.0.1" });
  });
});

describe("tool failure", () => {
  it("turns a scan that did not run into a blocking finding and a tool error", () => {
    const set = toolFailureSet("trivy", "vulnerability", "FATAL\tinit error: DB error: failed to download vulnerability DB\nmore");
    expect(set.toolErrors).toEqual(["trivy did not complete its scan: FATAL\tinit error: DB error: failed to download vulnerability DB"]);
    const policy = validateConfig({}).policy;
    const result = evaluateGate([set], policy, { today: new Date("2026-06-15") });
    expect(result.passed).toBe(false);
    expect(result.blocking[0]!.finding).toMatchObject({ rule: TOOL_FAILED_RULE, severity: "critical", category: "vulnerability" });
    // Accountable escape hatch: an allowlist entry with reason and expiry.
    const allowed = evaluateGate(
      [set],
      validateConfig({ policy: { allowlist: [{ rule: TOOL_FAILED_RULE, tool: "trivy", reason: "trivy DB mirror down, tracked in OPS-12", expires: "2026-06-16" }] } }).policy,
      {
        today: new Date("2026-06-15"),
      },
    );
    expect(allowed.passed).toBe(true);
  });
});
