import type { AllowlistEntry, PolicyConfig, Threshold } from "../config/sections/policy.js";
import { CATEGORIES, SEVERITIES, type Category, type Finding, type FindingSet, type Severity, type TestCounts, type ToolName } from "../findings/model.js";
import { SEVERITY_RANK, normalizeTrivyCheckId } from "../findings/normalize.js";

/** What the gate decided for one finding. Only `blocking` fails the gate. */
export type Disposition = "blocking" | "allowed" | "suppressed" | "baselined" | "belowThreshold" | "unfixed";

export interface AllowlistMatch {
  /** Position of the entry in `policy.allowlist`. */
  index: number;
  reason: string;
  expires: string;
  owner?: string;
  expired: boolean;
}

export interface GatedFinding {
  finding: Finding;
  disposition: Disposition;
  /** One sentence: why it blocks, or why it does not. */
  reason: string;
  allowlist?: AllowlistMatch;
}

export interface ToolError {
  tool: ToolName;
  format: string;
  message: string;
}

export type SeverityCounts = Record<Severity, number>;

export interface GateCounts {
  total: number;
  blocking: number;
  allowed: number;
  suppressed: number;
  baselined: number;
  belowThreshold: number;
  unfixed: number;
  /** Every finding, by category and severity. */
  byCategory: Record<Category, SeverityCounts>;
  /** Blocking findings, by category and severity. */
  blockingByCategory: Record<Category, SeverityCounts>;
}

export interface ReportSummary {
  /** The report file, when known. */
  source?: string;
  tool: ToolName;
  format: string;
  /** The tool's version, when its report states it. */
  toolVersion?: string;
  findings: number;
  tests?: TestCounts;
}

export interface GateResult {
  passed: boolean;
  /** Why the gate failed or passed, one line. */
  verdict: string;
  /** Every finding with its disposition, in input order. */
  findings: GatedFinding[];
  blocking: GatedFinding[];
  allowed: GatedFinding[];
  suppressed: GatedFinding[];
  baselined: GatedFinding[];
  belowThreshold: GatedFinding[];
  unfixed: GatedFinding[];
  counts: GateCounts;
  toolErrors: ToolError[];
  /** True when the tool errors alone fail the gate (`policy.failOnToolErrors`). */
  toolErrorsBlock: boolean;
  reports: ReportSummary[];
  /** Allowlist entries that matched no finding in these reports: candidates for removal. */
  unusedAllowlist: AllowlistMatch[];
  failOn: Record<Category, Threshold>;
  ignoreUnfixed: boolean;
  /** The day the allowlist expiry was checked against (YYYY-MM-DD, UTC). */
  evaluatedOn: string;
  baselineSize?: number;
}

export interface GateOptions {
  today: Date;
  /** Findings of a previous run: findings with the same fingerprint are not new and do not block. */
  baseline?: Finding[];
}

function emptyCounts(): Record<Category, SeverityCounts> {
  const out = {} as Record<Category, SeverityCounts>;
  for (const c of CATEGORIES) out[c] = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;
  return out;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function describeEntry(entry: AllowlistEntry, index: number): string {
  const what = [entry.rule && `rule ${entry.rule}`, entry.fingerprint && `fingerprint ${entry.fingerprint}`, entry.path && `path ${entry.path}`].filter(Boolean).join(", ");
  return `allowlist entry #${index + 1} (${what})`;
}

function ruleMatches(entryRule: string, f: Finding): boolean {
  const wanted = entryRule.toLowerCase();
  const ids = [f.rule, ...(f.aliases ?? [])].map((r) => r.toLowerCase());
  if (ids.includes(wanted)) return true;
  // Trivy check IDs in any generation (DS002, AVD-DS-0002, DS-0002) name the same check.
  return f.tool === "trivy" && f.category === "misconfiguration" && normalizeTrivyCheckId(entryRule).toLowerCase() === f.rule.toLowerCase();
}

function entryMatches(entry: AllowlistEntry, f: Finding): boolean {
  if (entry.tool !== undefined && entry.tool !== f.tool) return false;
  if (entry.fingerprint !== undefined && entry.fingerprint !== f.fingerprint) return false;
  if (entry.rule !== undefined && !ruleMatches(entry.rule, f)) return false;
  if (entry.path !== undefined) {
    if (!(f.location.path ?? "").startsWith(entry.path.replace(/^\.\//, ""))) return false;
  }
  return true;
}

function meetsThreshold(severity: Severity, threshold: Threshold): boolean {
  return threshold !== "never" && SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

/**
 * Applies the policy to the findings of one or more reports. For each finding, in this order:
 * suppressed at the source → never blocks; below the category's `failOn` threshold → does not block;
 * no fix and `ignoreUnfixed` → does not block; an active allowlist entry → allowed, an expired one →
 * blocks and says it expired; in the baseline → not new, does not block; anything else blocks.
 */
export function evaluateGate(sets: FindingSet[], policy: PolicyConfig, opts: GateOptions): GateResult {
  const today = isoDay(opts.today);
  const baseline = new Set((opts.baseline ?? []).map((f) => f.fingerprint));
  const used = new Set<number>();
  const failOn = policy.failOn as Record<Category, Threshold>;
  const findings: GatedFinding[] = [];

  for (const set of sets) {
    for (const f of set.findings) {
      findings.push(decide(f));
    }
  }

  function decide(f: Finding): GatedFinding {
    const threshold = failOn[f.category] ?? "never";
    if (f.suppressed) {
      return {
        finding: f,
        disposition: "suppressed",
        reason: `suppressed at the source (${f.suppressed.kind}${f.suppressed.justification ? `: ${f.suppressed.justification}` : ""})`,
      };
    }
    if (!meetsThreshold(f.severity, threshold)) {
      return {
        finding: f,
        disposition: "belowThreshold",
        reason:
          threshold === "never"
            ? `${f.category} findings never block (policy.failOn.${f.category}: never)`
            : `${f.severity} is below the ${f.category} threshold (policy.failOn.${f.category}: ${threshold})`,
      };
    }
    if (policy.ignoreUnfixed && f.category === "vulnerability" && f.fixAvailable === false) {
      return { finding: f, disposition: "unfixed", reason: "no fixed version exists yet and policy.ignoreUnfixed is on" };
    }
    const matches = policy.allowlist.map((entry, index) => ({ entry, index })).filter(({ entry }) => entryMatches(entry, f));
    for (const { index } of matches) used.add(index);
    const active = matches.find(({ entry }) => entry.expires >= today);
    if (active) {
      return {
        finding: f,
        disposition: "allowed",
        reason: `allowed until ${active.entry.expires} by ${describeEntry(active.entry, active.index)}: ${active.entry.reason}${active.entry.owner ? ` (owner ${active.entry.owner})` : ""}`,
        allowlist: { index: active.index, reason: active.entry.reason, expires: active.entry.expires, owner: active.entry.owner, expired: false },
      };
    }
    const expired = matches[0];
    if (expired) {
      return {
        finding: f,
        disposition: "blocking",
        reason: `${describeEntry(expired.entry, expired.index)} expired on ${expired.entry.expires} (it said: ${expired.entry.reason}); fix the finding or renew the entry with a new expires date and reason`,
        allowlist: { index: expired.index, reason: expired.entry.reason, expires: expired.entry.expires, owner: expired.entry.owner, expired: true },
      };
    }
    if (baseline.has(f.fingerprint)) {
      return { finding: f, disposition: "baselined", reason: "already in the baseline: not new" };
    }
    return {
      finding: f,
      disposition: "blocking",
      reason: `${f.severity} meets the ${f.category} threshold (policy.failOn.${f.category}: ${threshold})${opts.baseline ? " and it is not in the baseline" : ""}`,
    };
  }

  const by = (d: Disposition) => findings.filter((g) => g.disposition === d);
  const byCategory = emptyCounts();
  const blockingByCategory = emptyCounts();
  for (const g of findings) {
    byCategory[g.finding.category][g.finding.severity]++;
    if (g.disposition === "blocking") blockingByCategory[g.finding.category][g.finding.severity]++;
  }
  const blocking = by("blocking");
  const toolErrors = sets.flatMap((s) => s.toolErrors.map((message) => ({ tool: s.tool, format: s.format, message })));
  const toolErrorsBlock = policy.failOnToolErrors === true && toolErrors.length > 0;
  const passed = blocking.length === 0 && !toolErrorsBlock;
  const result: GateResult = {
    passed,
    verdict: passed
      ? `passed: no blocking findings in ${findings.length} finding${findings.length === 1 ? "" : "s"} from ${sets.length} report${sets.length === 1 ? "" : "s"}`
      : blocking.length > 0
        ? `failed: ${blocking.length} blocking finding${blocking.length === 1 ? "" : "s"}${toolErrorsBlock ? ` and ${toolErrors.length} tool error(s)` : ""}`
        : `failed: ${toolErrors.length} tool error(s) and policy.failOnToolErrors is on`,
    findings,
    blocking,
    allowed: by("allowed"),
    suppressed: by("suppressed"),
    baselined: by("baselined"),
    belowThreshold: by("belowThreshold"),
    unfixed: by("unfixed"),
    counts: {
      total: findings.length,
      blocking: blocking.length,
      allowed: by("allowed").length,
      suppressed: by("suppressed").length,
      baselined: by("baselined").length,
      belowThreshold: by("belowThreshold").length,
      unfixed: by("unfixed").length,
      byCategory,
      blockingByCategory,
    },
    toolErrors,
    toolErrorsBlock,
    reports: sets.map((s) => ({
      ...(s.source ? { source: s.source } : {}),
      tool: s.tool,
      format: s.format,
      ...(s.toolVersion ? { toolVersion: s.toolVersion } : {}),
      findings: s.findings.length,
      ...(s.tests ? { tests: { passed: s.tests.passed, failed: s.tests.failed, skipped: s.tests.skipped, errors: s.tests.errors, total: s.tests.total } } : {}),
    })),
    unusedAllowlist: policy.allowlist
      .map((entry, index) => ({ entry, index }))
      .filter(({ index }) => !used.has(index))
      .map(({ entry, index }) => ({ index, reason: entry.reason, expires: entry.expires, owner: entry.owner, expired: entry.expires < today })),
    failOn,
    ignoreUnfixed: policy.ignoreUnfixed,
    evaluatedOn: today,
    ...(opts.baseline ? { baselineSize: opts.baseline.length } : {}),
  };
  return result;
}
