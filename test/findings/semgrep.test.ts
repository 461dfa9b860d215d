import { describe, expect, it } from "vitest";
import { parseReport } from "../../src/findings/parse.js";
import { semgrepSeverity } from "../../src/findings/semgrep.js";
import { fixtureJson, parseFixture, tally, unique } from "../support/findings.js";

describe("semgrep JSON", () => {
  it("parses the genuine juice-shop run without login: own fingerprints, 21 tool errors", async () => {
    const set = await parseFixture("semgrep", "juice-shop-semgrep-report.json");
    expect(set).toMatchObject({ tool: "semgrep", format: "semgrep-json" });
    expect(set.findings).toHaveLength(11);
    expect(tally(set.findings)).toEqual({ "sast:medium": 11 });
    // "requires login" is no identity: every finding gets a distinct fingerprint of ours.
    expect(set.findings.every((f) => f.fingerprint !== "requires login" && /^[0-9a-f]{32}$/.test(f.fingerprint))).toBe(true);
    expect(unique(set.findings.map((f) => f.fingerprint))).toBe(true);
    expect(set.findings[0]).toMatchObject({
      rule: "javascript.jsonwebtoken.security.jwt-hardcode.hardcoded-jwt-secret",
      location: { path: "lib/insecurity.ts", startLine: 56, startColumn: 56 },
      helpUri: "https://semgrep.dev/r/javascript.jsonwebtoken.security.jwt-hardcode.hardcoded-jwt-secret",
    });
    expect(set.toolErrors).toHaveLength(21);
    // `type` as an array (["PartialParsing", [...]]) reads as its first element.
    expect(set.toolErrors.filter((e) => e.startsWith("warn: PartialParsing:"))).toHaveLength(5);
    expect(set.toolErrors.filter((e) => e.startsWith("warn: Syntax error:"))).toHaveLength(16);
    expect(set.toolErrors[0]).toContain("(data/static/codefixes/weakPasswordChallenge_3.ts)");
  });

  it("keeps the fingerprint stable across runs and independent of other results", async () => {
    const raw = fixtureJson("semgrep", "juice-shop-semgrep-report.json") as { results: unknown[] };
    const whole = parseReport(JSON.stringify(raw));
    const alone = parseReport(JSON.stringify({ ...raw, results: raw.results.slice(3, 4), errors: [] }));
    expect(alone.findings[0]!.fingerprint).toBe(whole.findings[3]!.fingerprint);
  });

  it("maps ERROR and WARNING of semgrep 1.100", async () => {
    const set = await parseFixture("semgrep", "defectdojo-semgrep-fingerprint_test.json");
    expect(set.findings).toHaveLength(2);
    expect(tally(set.findings)).toEqual({ "sast:high": 1, "sast:medium": 1 });
    expect(set.findings[0]!.location).toMatchObject({ path: "sample/brute.py", startLine: 31 });
    expect(set.toolErrors).toEqual([]);
  });

  it("keeps semgrep's own fingerprints when the report has them (1.30)", async () => {
    const set = await parseFixture("semgrep", "defectdojo-semgrep_version_1_30_0.json");
    expect(set.findings).toHaveLength(5);
    expect(tally(set.findings)).toEqual({ "sast:medium": 5 });
    expect(set.findings[0]!.fingerprint).toMatch(/^f900d4624c2a2c2cae7cb9c94c4fb9df/);
    expect(unique(set.findings.map((f) => f.fingerprint))).toBe(true);
  });

  it("parses the e2e golden: one ERROR finding", async () => {
    const set = await parseFixture("semgrep", "semgrep-e2e-output-format-json.json");
    expect(set.findings).toHaveLength(1);
    expect(set.findings[0]).toMatchObject({
      rule: "rules.eqeq-is-bad",
      severity: "high",
      category: "sast",
      fingerprint: "0x42",
      location: { path: "targets/basic/stupid.py", startLine: 3, endLine: 3, startColumn: 12, endColumn: 26 },
    });
  });

  it("maps the new CRITICAL/HIGH/MEDIUM/LOW severities next to the legacy ones", () => {
    expect(["CRITICAL", "HIGH", "MEDIUM", "LOW", "ERROR", "WARNING", "INFO", "EXPERIMENT", "INVENTORY"].map(semgrepSeverity)).toEqual([
      "critical",
      "high",
      "medium",
      "low",
      "high",
      "medium",
      "low",
      "info",
      "info",
    ]);
    const raw = fixtureJson("semgrep", "defectdojo-semgrep-fingerprint_test.json") as { results: { extra: { severity: string } }[] };
    raw.results[0]!.extra.severity = "CRITICAL";
    raw.results[1]!.extra.severity = "LOW";
    expect(tally(parseReport(JSON.stringify(raw)).findings)).toEqual({ "sast:critical": 1, "sast:low": 1 });
  });

  it("sorts non-security semgrep rules into quality and honours is_ignored", () => {
    const raw = fixtureJson("semgrep", "semgrep-e2e-output-format-json.json") as { results: { extra: Record<string, unknown> }[] };
    raw.results[0]!.extra.metadata = { category: "correctness" };
    raw.results[0]!.extra.is_ignored = true;
    const f = parseReport(JSON.stringify(raw)).findings[0]!;
    expect(f.category).toBe("quality");
    expect(f.suppressed).toEqual({ kind: "inSource", justification: "nosemgrep" });
  });

  it("names the JSON path of a malformed result", () => {
    const raw = fixtureJson("semgrep", "semgrep-e2e-output-format-json.json") as { results: { start: Record<string, unknown> }[] };
    delete raw.results[0]!.start.line;
    expect(() => parseReport(JSON.stringify(raw), { file: "semgrep.json" })).toThrow(/semgrep\.json: at results\[0\]\.start\.line: not a valid semgrep JSON report/);
  });
});

describe("semgrep SARIF", () => {
  it("takes the level from the rule's defaultConfiguration when the result has none", async () => {
    const set = await parseFixture("semgrep", "semgrep-e2e-output-format-sarif.sarif");
    expect(set).toMatchObject({ tool: "semgrep", format: "sarif", toolErrors: [] });
    expect(set.findings).toHaveLength(1);
    expect(set.findings[0]).toMatchObject({
      rule: "rules.eqeq-is-bad",
      severity: "high",
      category: "sast",
      location: { path: "targets/basic/stupid.py", startLine: 3 },
      helpUri: "https://semgrep.dev/r/eqeq-bad",
    });
    expect(set.findings[0]!.fingerprint).toMatch(/^62b4a09c/);
  });

  it("marks a nosemgrep result as suppressed in source", async () => {
    const set = await parseFixture("semgrep", "semgrep-e2e-sarif-nosemgrep-and-error.sarif");
    expect(set.findings).toHaveLength(1);
    expect(tally(set.findings)).toEqual({ "sast:high:suppressed": 1 });
    expect(set.findings[0]!.suppressed).toEqual({ kind: "inSource", justification: undefined });
  });

  it("reports errors from toolExecutionNotifications even when executionSuccessful is true", async () => {
    const set = await parseFixture("semgrep", "semgrep-e2e-sarif-when-errors.sarif");
    // Its driver lists no rule, so no rule ran: the one finding is sast-no-rules.
    expect(set.findings.map((f) => f.rule)).toEqual(["sast-no-rules"]);
    expect(set.toolErrors).toEqual(["error: SemgrepError: File not found: targets/basic/inexistent.py"]);
  });
});
