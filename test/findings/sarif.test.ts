import { describe, expect, it } from "vitest";
import { parseReport } from "../../src/findings/parse.js";
import { parseSarif } from "../../src/findings/sarif.js";
import { fixtureJson, parseFixture, tally } from "../support/findings.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("generic SARIF 2.1.0", () => {
  it("parses the minimal valid log (K.1): no results", async () => {
    const set = await parseFixture("sarif", "sarif-spec-appendix-k1-minimal-valid.sarif");
    expect(set).toMatchObject({ tool: "codescanner", format: "sarif", findings: [], toolErrors: [] });
  });

  it("parses K.2: message from messageStrings and arguments, artifact index, default level warning", async () => {
    const set = await parseFixture("sarif", "sarif-spec-appendix-k2-minimal-recommended.sarif");
    expect(set.findings).toHaveLength(1);
    expect(set.findings[0]).toMatchObject({
      tool: "codescanner",
      rule: "C2001",
      severity: "medium",
      category: "quality",
      message: 'Variable "count" was used without being initialized.',
      location: { path: "src/collections/list.cpp", startLine: 15 },
    });
  });

  it("reads suppressions: external and inSource suppress, an empty list does not", async () => {
    const set = await parseFixture("sarif", "defectdojo-suppression_test.sarif");
    expect(set.findings).toHaveLength(5);
    expect(tally(set.findings)).toEqual({ "quality:medium:suppressed": 3, "quality:medium": 2 });
    expect(set.findings.map((f) => f.suppressed?.kind ?? "-")).toEqual(["external", "external", "inSource", "-", "-"]);
    expect(set.findings[0]!.location.path).toBe("C:/code/file1.c");
  });

  const base = (): Json => fixtureJson("sarif", "sarif-spec-appendix-k2-minimal-recommended.sarif") as Json;

  it("resolves the level: result.level, else the rule's default by ruleIndex, else warning", () => {
    const log = base();
    log.runs[0].tool.driver.rules[0].defaultConfiguration = { level: "error" };
    expect(parseSarif(log, "x").findings[0]!.severity).toBe("high");
    log.runs[0].results[0].level = "note";
    expect(parseSarif(log, "x").findings[0]!.severity).toBe("low");
    log.runs[0].results[0].level = "none";
    expect(parseSarif(log, "x").findings[0]!.severity).toBe("info");
    delete log.runs[0].results[0].level;
    // By ruleId when there is no ruleIndex.
    delete log.runs[0].results[0].ruleIndex;
    expect(parseSarif(log, "x").findings[0]!.severity).toBe("high");
  });

  it("maps security-severity over the level", () => {
    const log = base();
    log.runs[0].tool.driver.rules[0].properties = { "security-severity": "9.8", tags: ["security"] };
    const f = parseSarif(log, "x").findings[0]!;
    expect(f.severity).toBe("critical");
    expect(f.category).toBe("sast");
    for (const [score, severity] of [
      ["7.0", "high"],
      ["4.0", "medium"],
      ["0.1", "low"],
      ["0", "info"],
    ]) {
      log.runs[0].tool.driver.rules[0].properties["security-severity"] = score;
      expect(parseSarif(log, "x").findings[0]!.severity).toBe(severity);
    }
  });

  it("treats kind other than fail as no failure", () => {
    const log = base();
    log.runs[0].results[0].level = "error";
    log.runs[0].results[0].kind = "pass";
    expect(parseSarif(log, "x").findings).toEqual([]);
    log.runs[0].results[0].kind = "notApplicable";
    expect(parseSarif(log, "x").findings).toEqual([]);
    log.runs[0].results[0].kind = "review";
    expect(parseSarif(log, "x").findings[0]!.severity).toBe("info");
    log.runs[0].results[0].kind = "fail";
    expect(parseSarif(log, "x").findings[0]!.severity).toBe("high");
  });

  it("does not suppress when every suppression is rejected", () => {
    const log = base();
    log.runs[0].results[0].suppressions = [{ kind: "external", status: "rejected" }];
    expect(parseSarif(log, "x").findings[0]!.suppressed).toBeUndefined();
    log.runs[0].results[0].suppressions.push({ kind: "inSource", status: "underReview", justification: "triage" });
    expect(parseSarif(log, "x").findings[0]!.suppressed).toEqual({ kind: "inSource", justification: "triage" });
  });

  it("reports an unsuccessful execution and configuration notifications", () => {
    const log = base();
    log.runs[0].invocations = [{ executionSuccessful: false, toolConfigurationNotifications: [{ level: "error", message: { text: "bad rule file" }, descriptor: { id: "R1" } }] }];
    expect(parseSarif(log, "x").toolErrors).toEqual(["codescanner: the tool reported an unsuccessful execution (run 0)", "error: R1: bad rule file"]);
  });

  it("uses partialFingerprints for a stable identity", () => {
    const log = base();
    log.runs[0].results[0].partialFingerprints = { primaryLocationLineHash: "abc:1" };
    const a = parseSarif(log, "x").findings[0]!.fingerprint;
    log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 40;
    expect(parseSarif(log, "x").findings[0]!.fingerprint).toBe(a);
  });

  it("rejects another SARIF version, naming the field", () => {
    const log = base();
    log.version = "2.0.0";
    expect(() => parseReport(JSON.stringify(log), { file: "old.sarif" })).toThrow(/old\.sarif: at version: not a valid SARIF report: expected SARIF version "2\.1\.0"/);
  });
});
