import { describe, expect, it } from "vitest";
import { ReportError } from "../../src/findings/errors.js";
import { parseReport, parseReportFile } from "../../src/findings/parse.js";
import { fixturePath } from "../support/fixtures.js";
import { fixtureJson, fixtureText, parseFixture, tally, unique } from "../support/findings.js";

describe("gitleaks JSON", () => {
  it("parses the golden single finding without copying the secret", async () => {
    const set = await parseFixture("gitleaks", "gitleaks-json_simple.json");
    expect(set).toMatchObject({ tool: "gitleaks", format: "gitleaks-json", toolErrors: [] });
    expect(set.findings).toHaveLength(1);
    const f = set.findings[0]!;
    expect(f).toMatchObject({
      category: "secret",
      rule: "test-rule",
      severity: "high",
      location: { path: "auth.py", startLine: 1, endLine: 2, commit: "0000000000000000" },
      // Fingerprint is "" in the report: the gitleaks format is computed, as .gitleaksignore expects.
      fingerprint: "0000000000000000:auth.py:test-rule:1",
    });
    const serialised = JSON.stringify(set);
    expect(serialised).not.toContain("a secret");
    expect(serialised).not.toContain("line containing secret");
  });

  it("parses [] as an empty gitleaks set", async () => {
    const set = await parseFixture("gitleaks", "gitleaks-empty.json");
    expect(set).toEqual({ tool: "gitleaks", format: "gitleaks-json", findings: [], toolErrors: [], source: fixturePath("gitleaks", "gitleaks-empty.json") });
  });

  it("keeps gitleaks' own fingerprints from a redacted baseline report", async () => {
    const set = await parseFixture("gitleaks", "gitleaks-baseline.json");
    expect(set.findings.map((f) => f.fingerprint)).toEqual([
      "9326f35380636bcbe61e94b0584d1618c4b5c2c2:detect/detect_test.go:pypi-upload-token:32",
      "9326f35380636bcbe61e94b0584d1618c4b5c2c2:detect/detect_test.go:pypi-upload-token:33",
    ]);
    expect(tally(set.findings)).toEqual({ "secret:high": 2 });
    expect(set.findings[0]!.title).toBe("PyPI upload token");
  });

  it("parses the genuine PyGoat history scan: 11 findings, links, no secrets in the output", async () => {
    const set = await parseFixture("gitleaks", "pygoat-gitleaks-git-report.json");
    const raw = fixtureJson("gitleaks", "pygoat-gitleaks-git-report.json") as { Secret: string; RuleID: string }[];
    expect(set.findings).toHaveLength(11);
    expect(tally(set.findings)).toEqual({ "secret:high": 11 });
    const byRule = (rule: string) => set.findings.filter((f) => f.rule === rule).length;
    expect(byRule("generic-api-key")).toBe(raw.filter((r) => r.RuleID === "generic-api-key").length);
    expect(byRule("jwt")).toBe(raw.filter((r) => r.RuleID === "jwt").length);
    expect(unique(set.findings.map((f) => f.fingerprint))).toBe(true);
    expect(set.findings[0]!.helpUri).toMatch(/^https:\/\/github.com\/CESAR-DevSecOps\/pygoat\/blob\//);
    const serialised = JSON.stringify(set);
    for (const r of raw) expect(serialised).not.toContain(r.Secret);
  });

  it("reads gitleaks v7 reports (lowercase keys, tags as a string)", () => {
    // The v7 `Leak` struct: line, lineNumber, offender, offenderEntropy, commit, repo, repoURL, leakURL,
    // rule, commitMessage, author, email, file, date, tags.
    const v7 = [
      {
        line: "aws_key = AKIAEXAMPLEEXAMPLE12",
        lineNumber: 3,
        offender: "AKIAEXAMPLEEXAMPLE12",
        offenderEntropy: -1,
        commit: "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12",
        repo: "app",
        repoURL: "",
        leakURL: "",
        rule: "AWS Access Key",
        commitMessage: "add config",
        author: "dev",
        email: "dev@example.com",
        file: "config/settings.py",
        date: "2021-03-01T10:00:00Z",
        tags: "key, AWS",
      },
    ];
    const set = parseReport(JSON.stringify(v7), { file: "v7.json" });
    expect(set.format).toBe("gitleaks-json-v7");
    expect(set.findings).toHaveLength(1);
    expect(set.findings[0]).toMatchObject({
      rule: "AWS Access Key",
      category: "secret",
      location: { path: "config/settings.py", startLine: 3, commit: "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12" },
      fingerprint: "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12:config/settings.py:AWS Access Key:3",
    });
    expect(JSON.stringify(set)).not.toContain("AKIAEXAMPLEEXAMPLE12");
  });

  it("gives the same fingerprint for the same leak in JSON and SARIF", async () => {
    const sarif = await parseFixture("gitleaks", "gitleaks-sarif_simple.sarif");
    const json = await parseFixture("gitleaks", "gitleaks-json_simple.json");
    expect(sarif).toMatchObject({ tool: "gitleaks", format: "sarif", toolErrors: [] });
    expect(sarif.findings).toHaveLength(1);
    // The result's ruleId is not among the driver's rules: it still parses, with gitleaks' severity.
    expect(sarif.findings[0]).toMatchObject({ rule: "test-rule", category: "secret", severity: "high", location: { path: "auth.py", startLine: 1 } });
    expect(sarif.findings[0]!.fingerprint).toBe(json.findings[0]!.fingerprint);
    expect(JSON.stringify(sarif)).not.toContain("a secret");
  });

  it("treats a missing report file as no leaks only for gitleaks", async () => {
    const missing = fixturePath("gitleaks", "does-not-exist.json");
    await expect(parseReportFile(missing, { tool: "gitleaks" })).resolves.toEqual({ tool: "gitleaks", format: "gitleaks-json", findings: [], toolErrors: [], source: missing });
    const err = await parseReportFile(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect((err as Error).message).toContain("does-not-exist.json");
    expect((err as Error).message).toContain("does not exist");
  });

  it("treats an empty gitleaks report as no leaks, and other empty reports as errors", () => {
    expect(parseReport("", { tool: "gitleaks" }).findings).toEqual([]);
    expect(() => parseReport("  \n", { file: "semgrep.json" })).toThrow(/semgrep.json: the report is empty/);
  });

  it("names the field when a gitleaks finding is malformed", () => {
    const rows = JSON.parse(fixtureText("gitleaks", "gitleaks-baseline.json")) as Record<string, unknown>[];
    rows[1]!.StartLine = "32";
    expect(() => parseReport(JSON.stringify(rows), { file: "leaks.json" })).toThrow(/leaks\.json: at \[1\]\.StartLine: not a valid gitleaks JSON report/);
  });
});
