import { CATEGORIES, type Severity } from "../findings/model.js";
import { DPRA_REPORT_SCHEMA } from "../findings/dpra-report.js";
import type { GateResult, GatedFinding } from "./gate.js";
import { locationText, sortGated } from "./order.js";
import type { SarifTruncation } from "./sarif.js";

export { renderSarif } from "./sarif.js";

/** The gate result as JSON. It can be read back as a baseline (`policy.baseline`, `dpra gate --baseline`). */
export function renderJson(result: GateResult): string {
  const report = {
    schema: DPRA_REPORT_SCHEMA,
    passed: result.passed,
    verdict: result.verdict,
    evaluatedOn: result.evaluatedOn,
    failOn: result.failOn,
    ignoreUnfixed: result.ignoreUnfixed,
    counts: result.counts,
    reports: result.reports,
    toolErrors: result.toolErrors,
    toolErrorsBlock: result.toolErrorsBlock,
    unusedAllowlist: result.unusedAllowlist,
    ...(result.baselineSize !== undefined ? { baselineSize: result.baselineSize } : {}),
    findings: sortGated(result.findings),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Markdown cells: one line, no table breaks, no HTML. */
function cell(text: string, max = 200): string {
  const one = text.replace(/\s+/g, " ").trim();
  const cut = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  return cut.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/`/g, "'");
}

// Keeps an already encoded URL as it is; only characters that would end the Markdown link are escaped.
function linkTarget(url: string): string {
  return url.replace(/[\s()<>|]/g, (c) => encodeURIComponent(c));
}

const SEVERITY_ICON: Record<Severity, string> = { critical: "🟥 critical", high: "🟧 high", medium: "🟨 medium", low: "🟦 low", info: "⬜ info" };

function findingRows(list: GatedFinding[], limit: number, withReason: boolean): string[] {
  const header = withReason
    ? ["| Severity | Category | Tool | Rule | Location | Why it blocks |", "|---|---|---|---|---|---|"]
    : ["| Severity | Category | Tool | Rule | Location | Why it does not block |", "|---|---|---|---|---|---|"];
  const rows = sortGated(list)
    .slice(0, limit)
    .map(
      (g) =>
        `| ${SEVERITY_ICON[g.finding.severity]} | ${g.finding.category} | ${cell(g.finding.tool)} | ${g.finding.helpUri ? `[${cell(g.finding.rule, 80)}](${linkTarget(g.finding.helpUri)})` : cell(g.finding.rule, 80)} | ${cell(locationText(g), 120)} | ${cell(g.finding.message, 400)} — ${cell(g.reason, 200)} |`,
    );
  const more = list.length > limit ? [``, `…and ${list.length - limit} more; the JSON and SARIF reports list them all.`] : [];
  return [...header, ...rows, ...more];
}

/** A Markdown summary for `$GITHUB_STEP_SUMMARY` (and any CI that shows Markdown). */
export function renderMarkdown(result: GateResult, opts: { limit?: number; sarif?: SarifTruncation[] } = {}): string {
  const limit = opts.limit ?? 100;
  const out: string[] = [];
  out.push(`## ${result.passed ? "✅" : "❌"} dpra gate ${result.verdict}`, "");
  const rows = CATEGORIES.map((category) => {
    const all = result.findings.filter((g) => g.finding.category === category);
    if (all.length === 0) return undefined;
    const n = (d: GatedFinding["disposition"]) => all.filter((g) => g.disposition === d).length;
    return `| ${category} | ${result.failOn[category]} | ${all.length} | ${n("blocking")} | ${n("allowed")} | ${n("baselined")} | ${n("suppressed")} | ${n("belowThreshold") + n("unfixed")} |`;
  }).filter((r): r is string => r !== undefined);
  if (rows.length > 0) {
    out.push("| Category | Blocks from | Found | Blocking | Allowlisted | Baselined | Suppressed | Below threshold |", "|---|---|---|---|---|---|---|---|", ...rows, "");
  } else {
    out.push("No findings.", "");
  }
  const tests = result.reports.filter((r) => r.tests);
  if (tests.length > 0) {
    out.push("### Tests", "", "| Report | Passed | Failed | Errors | Skipped | Total |", "|---|---|---|---|---|---|");
    for (const r of tests) out.push(`| ${cell(r.source ?? r.tool)} | ${r.tests!.passed} | ${r.tests!.failed} | ${r.tests!.errors} | ${r.tests!.skipped} | ${r.tests!.total} |`);
    out.push("");
  }
  if (result.blocking.length > 0) {
    out.push(`### Blocking findings (${result.blocking.length})`, "", ...findingRows(result.blocking, limit, true), "");
  }
  if (result.allowed.length > 0) {
    out.push(`<details><summary>Allowlisted (${result.allowed.length})</summary>`, "", ...findingRows(result.allowed, limit, false), "", "</details>", "");
  }
  if (result.baselined.length > 0) out.push(`${result.baselined.length} finding(s) are in the baseline (${result.baselineSize ?? 0} entries) and do not block.`, "");
  if (result.toolErrors.length > 0) {
    out.push(
      `<details><summary>Tool errors (${result.toolErrors.length})${result.toolErrorsBlock ? ": they fail the gate (policy.failOnToolErrors)" : ""}</summary>`,
      "",
      ...result.toolErrors.slice(0, 50).map((e) => `- ${cell(e.tool)}: ${cell(e.message, 300)}`),
      ...(result.toolErrors.length > 50 ? [`- …and ${result.toolErrors.length - 50} more`] : []),
      "",
      "</details>",
      "",
    );
  }
  for (const t of opts.sarif ?? []) {
    out.push(
      `⚠️ SARIF for GitHub code scanning, run ${cell(t.tool)}: ${t.results.kept} of ${t.results.total} results and ${t.rules.kept} of ${t.rules.total} rules kept (the most severe; GitHub accepts at most 25,000 of each per run). The JSON report lists them all.`,
      "",
    );
  }
  if (result.unusedAllowlist.length > 0) {
    out.push(
      `<details><summary>Allowlist entries that matched nothing (${result.unusedAllowlist.length})</summary>`,
      "",
      ...result.unusedAllowlist.map((u) => `- entry #${u.index + 1}, expires ${u.expires}${u.expired ? " (expired)" : ""}: ${cell(u.reason)}`),
      "",
      "</details>",
      "",
    );
  }
  return `${out.join("\n").trimEnd()}\n`;
}
