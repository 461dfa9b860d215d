import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load.js";
import type { FindingSet } from "../../src/findings/model.js";
import { evaluateGate, type GateResult } from "../../src/policy/gate.js";
import { renderJson, renderMarkdown, renderSarif } from "../../src/policy/render.js";
import { parseFixture } from "../support/findings.js";
import { fixturePath } from "../support/fixtures.js";

const today = new Date("2026-06-15T00:00:00Z");

async function mixedResult(): Promise<{ result: GateResult; sets: FindingSet[] }> {
  const sets = await Promise.all([
    parseFixture("trivy", "trivy-npm-with-suppressed-vex.json"),
    parseFixture("trivy", "trivy-repo-misconfig-dockerfile-pre-v0.69.json"),
    parseFixture("semgrep", "semgrep-e2e-sarif-when-errors.sarif"),
    parseFixture("gitleaks", "pygoat-gitleaks-git-report.json"),
    parseFixture("junit", "vitest-4.1.12-junit-failures.xml"),
    parseFixture("semgrep", "juice-shop-semgrep-report.json"),
  ]);
  const policy = validateConfig({
    policy: {
      allowlist: [
        { rule: "DS002", reason: "distroless base runs as nonroot", expires: "2026-12-31" },
        { rule: "CVE-0000-0001", reason: "left over from last year", expires: "2025-01-01" },
      ],
    },
  }).policy;
  return { result: evaluateGate(sets, policy, { today, baseline: sets[3]!.findings.slice(0, 2) }), sets };
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("renderers", () => {
  it("Markdown: verdict, category table, every blocking finding with its reason, escaped cells", async () => {
    const { result } = await mixedResult();
    const md = renderMarkdown(result);
    expect(md.startsWith(`## ❌ dpra gate failed: ${result.blocking.length} blocking findings\n`)).toBe(true);
    expect(md).toContain("| misconfiguration | high | 1 | 0 | 1 | 0 | 0 | 0 |");
    expect(md).toContain("| secret | low | 11 | 9 | 0 | 2 | 0 | 0 |");
    expect(md).toContain(`| ${fixturePath("junit", "vitest-4.1.12-junit-failures.xml")} | 2 | 3 | 0 | 2 | 7 |`);
    expect(md).toContain(`### Blocking findings (${result.blocking.length})`);
    for (const g of result.blocking) expect(md).toContain(g.reason.replace(/</g, "&lt;").replace(/>/g, "&gt;"));
    expect(md).toContain("math &gt; subtracts");
    expect(md).toContain("2 finding(s) are in the baseline (2 entries) and do not block.");
    expect(md).toContain("<details><summary>Tool errors (22)</summary>");
    expect(md).toContain("- entry #2, expires 2025-01-01 (expired): left over from last year");
    // Every finding row has exactly six cells: no pipe or newline in a message breaks the table.
    const findingRows = md.split("\n").filter((l) => /^\| (🟥|🟧|🟨|🟦|⬜)/.test(l));
    expect(findingRows.length).toBe(result.blocking.length + result.allowed.length);
    for (const row of findingRows) expect(row.replace(/\\\|/g, "").split("|").length).toBe(8);
  });

  it("Markdown: escapes pipes and HTML in messages and limits long lists", async () => {
    const { sets } = await mixedResult();
    const leaks = sets[3]!;
    const tricky: FindingSet = { ...leaks, findings: leaks.findings.map((f) => ({ ...f, message: "a | b <script>\nnext" })) };
    const md = renderMarkdown(evaluateGate([tricky], validateConfig({}).policy, { today }), { limit: 3 });
    expect(md).toContain("a \\| b &lt;script&gt; next");
    expect(md).not.toContain("<script>");
    expect(md).toContain("…and 8 more; the JSON and SARIF reports list them all.");
  });

  it("Markdown: a passing gate", async () => {
    const md = renderMarkdown(evaluateGate([await parseFixture("trivy", "defectdojo-trivy-image-no-vulns.json")], validateConfig({}).policy, { today }));
    expect(md).toBe("## ✅ dpra gate passed: no blocking findings in 0 findings from 1 report\n\nNo findings.\n");
  });

  it("JSON: every finding with its disposition and reason, blocking first", async () => {
    const { result } = await mixedResult();
    const json = JSON.parse(renderJson(result)) as Json;
    expect(json).toMatchObject({ schema: "dpra-gate/v1", passed: false, evaluatedOn: "2026-06-15", baselineSize: 2 });
    expect(json.findings).toHaveLength(result.counts.total);
    const dispositions = (json.findings as Json[]).map((f) => f.disposition as string);
    expect(dispositions.slice(0, result.blocking.length).every((d) => d === "blocking")).toBe(true);
    expect((json.findings as Json[]).every((f) => typeof f.reason === "string" && f.reason.length > 0)).toBe(true);
    expect(json.counts.blocking).toBe(result.blocking.length);
  });

  it("SARIF: one run per tool, valid levels, rules, partialFingerprints, suppressions", async () => {
    const { result } = await mixedResult();
    const sarif = JSON.parse(renderSarif(result)) as Json;
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    const tools = (sarif.runs as Json[]).map((r) => r.tool.driver.name as string);
    expect(tools).toEqual(["gitleaks", "junit", "semgrep", "trivy"]);
    expect(new Set((sarif.runs as Json[]).map((r) => r.automationDetails.id)).size).toBe(4);
    let results = 0;
    for (const run of sarif.runs as Json[]) {
      const rules = run.tool.driver.rules as Json[];
      expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
      for (const rule of rules) {
        expect(["error", "warning", "note"]).toContain(rule.defaultConfiguration.level);
        if (rule.properties.tags.includes("security")) expect(Number(rule.properties["security-severity"])).toBeGreaterThanOrEqual(0);
      }
      for (const r of run.results as Json[]) {
        results++;
        expect(["error", "warning", "note", "none"]).toContain(r.level);
        expect(rules[r.ruleIndex as number]!.id).toBe(r.ruleId);
        expect(r.partialFingerprints["dpraFingerprint/v1"]).toMatch(/.+/);
        expect(r.locations[0].physicalLocation.artifactLocation.uri).not.toMatch(/^\/|\s/);
        expect(r.locations[0].physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
        if (r.properties.disposition === "blocking") {
          expect(r.level).toBe("error");
          expect(r.suppressions).toBeUndefined();
        }
        if (["allowed", "baselined", "suppressed"].includes(r.properties.disposition)) expect(r.suppressions[0].status).toBe("accepted");
      }
    }
    expect(results).toBe(result.counts.total);
    const trivy = (sarif.runs as Json[]).find((r) => r.tool.driver.name === "trivy")!;
    const ds = (trivy.results as Json[]).find((r) => r.ruleId === "DS-0002")!;
    expect(ds.suppressions[0]).toEqual({ kind: "external", status: "accepted", justification: expect.stringContaining("distroless base runs as nonroot") });
    const rule = (trivy.tool.driver.rules as Json[]).find((r) => r.id === "DS-0002")!;
    expect(rule.properties).toEqual({ tags: ["misconfiguration", "security"], "security-severity": "8.0" });
  });
});
