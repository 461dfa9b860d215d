import type { Category, Severity, ToolName } from "../findings/model.js";
import { DPRA_FINGERPRINT_KEY } from "../findings/sarif.js";
import type { GateResult, GatedFinding } from "./gate.js";
import { sortGated } from "./order.js";

const SECURITY_CATEGORIES = new Set<Category>(["secret", "sast", "vulnerability", "misconfiguration"]);
// Scores GitHub maps back to the same severity (>= 9 critical, >= 7 high, >= 4 medium, > 0 low).
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "2.0", info: "0.0" };

function levelOf(g: GatedFinding): "error" | "warning" | "note" {
  if (g.disposition === "blocking") return "error";
  return g.finding.severity === "low" || g.finding.severity === "info" ? "note" : "warning";
}

function uriOf(path: string | undefined): string {
  // A URI reference relative to the repository root: what GitHub code scanning expects.
  return encodeURI((path ?? ".").replace(/^\/+/, ""));
}

interface SarifRule {
  id: string;
  name?: string;
  shortDescription: { text: string };
  helpUri?: string;
  defaultConfiguration: { level: "error" | "warning" | "note" };
  properties: Record<string, unknown>;
}

/** GitHub code scanning rejects a run with more results or more rules than these. */
export const SARIF_MAX_RESULTS_PER_RUN = 25_000;
export const SARIF_MAX_RULES_PER_RUN = 25_000;

/** What one run left out to stay within GitHub's limits. */
export interface SarifTruncation {
  tool: ToolName;
  results: { total: number; kept: number };
  rules: { total: number; kept: number };
  /** One sentence with the counts, for logs and the Markdown summary. */
  note: string;
}

export interface SarifLimits {
  maxResults?: number;
  maxRules?: number;
}

/**
 * Keeps the most severe findings of one tool within the limits. `list` is sorted most severe first
 * (sortGated), so the order in which rules first appear ranks them by their most severe finding:
 * the first maxRules rules are kept, then the first maxResults findings of those rules.
 */
function withinLimits(tool: ToolName, list: GatedFinding[], limits: Required<SarifLimits>): { kept: GatedFinding[]; truncation?: SarifTruncation } {
  const rules = new Set<string>();
  for (const g of list) if (rules.size < limits.maxRules || rules.has(g.finding.rule)) rules.add(g.finding.rule);
  const ofKeptRules = list.filter((g) => rules.has(g.finding.rule));
  const kept = ofKeptRules.slice(0, limits.maxResults);
  const totalRules = new Set(list.map((g) => g.finding.rule)).size;
  const keptRules = new Set(kept.map((g) => g.finding.rule)).size;
  if (kept.length === list.length) return { kept };
  const note = `kept the ${kept.length} most severe of ${list.length} results and ${keptRules} of ${totalRules} rules (GitHub code scanning accepts at most ${limits.maxResults} results and ${limits.maxRules} rules per run); the JSON report lists them all`;
  return { kept, truncation: { tool, results: { total: list.length, kept: kept.length }, rules: { total: totalRules, kept: keptRules }, note } };
}

function worse(a: Severity, b: Severity): Severity {
  const order: Severity[] = ["info", "low", "medium", "high", "critical"];
  return order.indexOf(a) >= order.indexOf(b) ? a : b;
}

/**
 * One SARIF 2.1.0 log for GitHub code scanning: one run per tool (each with its own
 * `automationDetails.id`, so uploads do not overwrite each other), rules with `security-severity`
 * for security categories, `partialFingerprints` carrying the dpra fingerprint, and allowlisted,
 * baselined or suppressed findings marked with `suppressions`. Each run stays within GitHub's limits
 * (25,000 results and rules, the most severe kept); what was left out is in `truncation` and in the
 * run's `properties["dpra/truncated"]`. `driver.version` comes from the tool's report when it states one.
 */
export function buildSarif(result: GateResult, limits: SarifLimits = {}): { text: string; truncation: SarifTruncation[] } {
  const max = { maxResults: limits.maxResults ?? SARIF_MAX_RESULTS_PER_RUN, maxRules: limits.maxRules ?? SARIF_MAX_RULES_PER_RUN };
  const truncation: SarifTruncation[] = [];
  const versions = new Map<ToolName, string>();
  for (const r of result.reports) if (r.toolVersion && !versions.has(r.tool)) versions.set(r.tool, r.toolVersion);
  const byTool = new Map<ToolName, GatedFinding[]>();
  for (const g of sortGated(result.findings)) {
    const list = byTool.get(g.finding.tool) ?? [];
    list.push(g);
    byTool.set(g.finding.tool, list);
  }
  const runs = [...byTool.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tool, all]) => {
      const { kept: list, truncation: cut } = withinLimits(tool, all, max);
      if (cut) truncation.push(cut);
      const rules: SarifRule[] = [];
      const ruleIndex = new Map<string, number>();
      const ruleSeverity = new Map<string, Severity>();
      for (const g of list) {
        const f = g.finding;
        ruleSeverity.set(f.rule, worse(ruleSeverity.get(f.rule) ?? "info", f.severity));
        if (ruleIndex.has(f.rule)) continue;
        ruleIndex.set(f.rule, rules.length);
        rules.push({
          id: f.rule,
          shortDescription: { text: (f.title ?? f.rule).slice(0, 1000) },
          ...(f.helpUri ? { helpUri: f.helpUri } : {}),
          defaultConfiguration: { level: "warning" },
          properties: { tags: [f.category, ...(SECURITY_CATEGORIES.has(f.category) ? ["security"] : [])] },
        });
      }
      for (const rule of rules) {
        const sev = ruleSeverity.get(rule.id)!;
        rule.defaultConfiguration.level = sev === "critical" || sev === "high" ? "error" : sev === "medium" ? "warning" : "note";
        const category = (rule.properties.tags as string[])[0] as Category;
        if (SECURITY_CATEGORIES.has(category)) rule.properties["security-severity"] = SECURITY_SEVERITY[sev];
      }
      const results = list.map((g) => {
        const f = g.finding;
        const l = f.location;
        const region = {
          startLine: l.startLine && l.startLine > 0 ? l.startLine : 1,
          ...(l.endLine && l.startLine && l.endLine >= l.startLine ? { endLine: l.endLine } : {}),
          ...(l.startColumn && l.startColumn > 0 ? { startColumn: l.startColumn } : {}),
          ...(l.endColumn && l.startColumn && l.endColumn > 0 && (l.endLine !== l.startLine || l.endColumn >= l.startColumn) ? { endColumn: l.endColumn } : {}),
        };
        const suppression =
          g.disposition === "allowed"
            ? { kind: "external", status: "accepted", justification: g.reason }
            : g.disposition === "baselined"
              ? { kind: "external", status: "accepted", justification: "in the dpra baseline" }
              : g.disposition === "suppressed"
                ? {
                    kind: f.suppressed?.kind === "inSource" ? "inSource" : "external",
                    status: "accepted",
                    ...(f.suppressed?.justification ? { justification: f.suppressed.justification } : {}),
                  }
                : undefined;
        return {
          ruleId: f.rule,
          ruleIndex: ruleIndex.get(f.rule)!,
          level: levelOf(g),
          message: {
            text: `${f.message}${l.package ? ` [${l.package}${l.version ? `@${l.version}` : ""}]` : ""}\n${g.disposition === "blocking" ? "Blocks" : "Does not block"}: ${g.reason}`,
          },
          locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(l.path) }, region } }],
          partialFingerprints: { [DPRA_FINGERPRINT_KEY]: f.fingerprint },
          ...(suppression ? { suppressions: [suppression] } : {}),
          properties: {
            severity: f.severity,
            category: f.category,
            disposition: g.disposition,
            ...(f.fixedVersion ? { fixedVersion: f.fixedVersion } : {}),
          },
        };
      });
      const version = versions.get(tool);
      return {
        tool: { driver: { name: tool, ...(version ? { version } : {}), rules } },
        automationDetails: { id: `dpra/${tool}/` },
        results,
        ...(cut ? { properties: { "dpra/truncated": { results: cut.results, rules: cut.rules, note: cut.note } } } : {}),
      };
    });
  return { text: `${JSON.stringify({ $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs }, null, 2)}\n`, truncation };
}

/** The SARIF log as text (see buildSarif), within GitHub's limits. */
export function renderSarif(result: GateResult): string {
  return buildSarif(result).text;
}
