import { z } from "zod";
import type { Category, Finding, FindingSet, Severity, ToolName } from "./model.js";
import { validate } from "./json.js";
import { gitleaksFingerprint } from "./gitleaks.js";
import { sastCoverageFindings } from "./sast-coverage.js";
import { semgrepCategory, semgrepFingerprint } from "./semgrep.js";
import { fingerprintOf, firstLine, normalizePath, normalizeTrivyCheckId, severityFromScore } from "./normalize.js";

const Text = z.object({ text: z.string().optional(), markdown: z.string().optional() });

const Properties = z.record(z.string(), z.unknown());

const Rule = z.object({
  id: z.string(),
  name: z.string().optional(),
  shortDescription: Text.optional(),
  fullDescription: Text.optional(),
  messageStrings: z.record(z.string(), Text).optional(),
  defaultConfiguration: z.object({ level: z.string().optional() }).optional(),
  helpUri: z.string().optional(),
  properties: Properties.optional(),
});
type Rule = z.infer<typeof Rule>;

const Region = z.object({
  startLine: z.number().int().optional(),
  endLine: z.number().int().optional(),
  startColumn: z.number().int().optional(),
  endColumn: z.number().int().optional(),
  snippet: Text.optional(),
});

const Location = z.object({
  physicalLocation: z
    .object({
      artifactLocation: z.object({ uri: z.string().optional(), index: z.number().int().optional() }).optional(),
      region: Region.optional(),
    })
    .optional(),
});

const Result = z.object({
  ruleId: z.string().optional(),
  ruleIndex: z.number().int().optional(),
  rule: z.object({ id: z.string().optional(), index: z.number().int().optional() }).optional(),
  level: z.enum(["none", "note", "warning", "error"]).optional(),
  kind: z.enum(["notApplicable", "pass", "fail", "review", "open", "informational"]).optional(),
  message: z.object({ text: z.string().optional(), markdown: z.string().optional(), id: z.string().optional(), arguments: z.array(z.string()).optional() }),
  locations: z.array(Location).nullish(),
  partialFingerprints: z.record(z.string(), z.string()).optional(),
  fingerprints: z.record(z.string(), z.string()).optional(),
  suppressions: z.array(z.object({ kind: z.string(), status: z.string().optional(), justification: z.string().optional() })).nullish(),
  properties: Properties.optional(),
});
type Result = z.infer<typeof Result>;

const Notification = z.object({
  level: z.string().optional(),
  message: z.object({ text: z.string().optional() }),
  descriptor: z.object({ id: z.string().optional() }).optional(),
});

const Run = z.object({
  tool: z.object({
    driver: z.object({ name: z.string(), version: z.string().optional(), semanticVersion: z.string().optional(), rules: z.array(Rule).nullish() }),
    extensions: z.array(z.object({ rules: z.array(Rule).nullish() })).nullish(),
  }),
  results: z.array(Result).nullish(),
  artifacts: z.array(z.object({ location: z.object({ uri: z.string().optional() }).optional() })).nullish(),
  invocations: z
    .array(
      z.object({
        executionSuccessful: z.boolean().optional(),
        toolExecutionNotifications: z.array(Notification).nullish(),
        toolConfigurationNotifications: z.array(Notification).nullish(),
      }),
    )
    .nullish(),
});

const SarifLog = z.object({ version: z.literal("2.1.0", { error: 'expected SARIF version "2.1.0"' }), runs: z.array(Run) });

export function isSarif(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v.runs) && (v.version !== undefined || String(v.$schema ?? "").includes("sarif"));
}

/** Maps a SARIF driver name to the tool names the policy knows. */
export function toolFromDriver(name: string): ToolName {
  const n = name.toLowerCase();
  if (n.includes("gitleaks")) return "gitleaks";
  if (n.includes("semgrep")) return "semgrep";
  if (n.includes("trivy")) return "trivy";
  if (n.includes("eslint")) return "eslint";
  if (n.includes("cfn-lint") || n.includes("cfn_lint")) return "cfn-lint";
  return n.replace(/\s+/g, "-");
}

const LEVEL_SEVERITY: Record<string, Severity> = { error: "high", warning: "medium", note: "low", none: "info" };

function securitySeverity(props: Record<string, unknown> | undefined): number | undefined {
  const raw = props?.["security-severity"];
  const n = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

function tagsOf(props: Record<string, unknown> | undefined): string[] {
  const tags = props?.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string").map((t) => t.toLowerCase()) : [];
}

function categoryFor(tool: ToolName, tags: string[], rule: Rule | undefined, hinted?: Category): Category {
  if (hinted) return hinted;
  if (tool === "gitleaks") return "secret";
  if (tool === "semgrep") return semgrepCategory(typeof rule?.properties?.category === "string" ? rule.properties.category : undefined);
  if (tool === "eslint") return "quality";
  if (tool === "cfn-lint") return "misconfiguration";
  if (tags.includes("vulnerability")) return "vulnerability";
  if (tags.includes("misconfiguration")) return "misconfiguration";
  if (tags.includes("secret")) return "secret";
  if (tags.includes("license")) return "license";
  if (tool === "trivy") return "vulnerability";
  return tags.includes("security") ? "sast" : "quality";
}

function messageOf(result: Result, rule: Rule | undefined): string {
  if (result.message.text) return result.message.text;
  if (result.message.markdown) return result.message.markdown;
  const template = result.message.id ? rule?.messageStrings?.[result.message.id]?.text : undefined;
  if (template) return template.replace(/\{(\d+)\}/g, (_, i: string) => result.message.arguments?.[Number(i)] ?? `{${i}}`);
  return rule?.shortDescription?.text ?? rule?.fullDescription?.text ?? rule?.id ?? "finding";
}

// Trivy's SARIF messages carry the package as text: "Package: x\nInstalled Version: y\n...Fixed Version: z".
function trivyPackage(message: string): { package?: string; version?: string; fixedVersion?: string } {
  const field = (name: string) => new RegExp(`^${name}: (.*)$`, "m").exec(message)?.[1]?.trim() || undefined;
  return { package: field("Package"), version: field("Installed Version"), fixedVersion: field("Fixed Version") };
}

export interface SarifHint {
  root?: string;
  category?: Category;
  /** The rules a SAST run was given, for the message of a run that loaded none. */
  sastConfig?: string;
}

/**
 * SARIF 2.1.0 from any tool. Level: result.level, else the rule's defaultConfiguration.level (rule found by
 * ruleIndex or ruleId), else `warning`. A `security-severity` score wins over the level. `kind` pass and
 * notApplicable are not findings; review, open and informational are kept as info. A result with a
 * suppression whose status is not `rejected` is suppressed. A semgrep run whose driver lists no rule
 * adds the blocking `sast-no-rules` finding (sast-coverage.ts).
 */
export function parseSarif(value: unknown, file: string, hint: SarifHint = {}): FindingSet {
  const log = validate(SarifLog, value, file, "SARIF");
  const findings: Finding[] = [];
  const toolErrors: string[] = [];
  let firstTool: ToolName | undefined;
  let toolVersion: string | undefined;
  log.runs.forEach((run, runIndex) => {
    const tool = toolFromDriver(run.tool.driver.name);
    firstTool ??= tool;
    if (tool === firstTool) toolVersion ??= run.tool.driver.semanticVersion ?? run.tool.driver.version;
    const rules = [...(run.tool.driver.rules ?? []), ...(run.tool.extensions ?? []).flatMap((e) => e.rules ?? [])];
    const byId = new Map(rules.map((r) => [r.id, r]));
    // semgrep lists every rule it loaded in driver.rules, whether it matched or not.
    if (tool === "semgrep" && run.tool.driver.rules) findings.push(...sastCoverageFindings({ rulesLoaded: rules.length }, hint.sastConfig));
    for (const inv of run.invocations ?? []) {
      if (inv.executionSuccessful === false) toolErrors.push(`${tool}: the tool reported an unsuccessful execution (run ${runIndex})`);
      for (const n of [...(inv.toolExecutionNotifications ?? []), ...(inv.toolConfigurationNotifications ?? [])]) {
        const level = n.level ?? "warning";
        if (level === "note" || level === "none") continue;
        toolErrors.push(`${level}: ${n.descriptor?.id ? `${n.descriptor.id}: ` : ""}${firstLine(n.message.text)}`);
      }
    }
    (run.results ?? []).forEach((result) => {
      const kind = result.kind ?? "fail";
      if (kind === "pass" || kind === "notApplicable") return;
      const index = result.ruleIndex ?? result.rule?.index;
      const rule = (index !== undefined ? rules[index] : undefined) ?? byId.get(result.ruleId ?? result.rule?.id ?? "");
      const ruleId = result.ruleId ?? result.rule?.id ?? rule?.id ?? "unknown-rule";
      const tags = [...tagsOf(rule?.properties), ...tagsOf(result.properties)];
      const category = categoryFor(tool, tags, rule, hint.category);
      const level = result.level ?? rule?.defaultConfiguration?.level ?? "warning";
      const score = securitySeverity(result.properties) ?? securitySeverity(rule?.properties);
      // gitleaks writes no levels: every secret is high, as in its JSON report.
      const byLevel = tool === "gitleaks" && result.level === undefined ? "high" : (LEVEL_SEVERITY[level] ?? "medium");
      const severity: Severity = kind !== "fail" ? "info" : score !== undefined ? severityFromScore(score) : byLevel;
      const physical = result.locations?.[0]?.physicalLocation;
      const art = physical?.artifactLocation;
      const uri = art?.uri ?? (art?.index !== undefined ? run.artifacts?.[art.index]?.location?.uri : undefined);
      const path = normalizePath(uri, hint.root);
      const region = physical?.region;
      const message = messageOf(result, rule);
      const pkg = tool === "trivy" && category === "vulnerability" ? trivyPackage(message) : {};
      const finalRule = tool === "trivy" && category === "misconfiguration" ? normalizeTrivyCheckId(ruleId) : ruleId;
      const suppression = (result.suppressions ?? []).find((s) => s.status !== "rejected");
      findings.push({
        tool,
        category,
        rule: finalRule,
        severity,
        message: firstLine(message, 1000),
        location: {
          path,
          startLine: region?.startLine,
          endLine: region?.endLine,
          startColumn: region?.startColumn,
          endColumn: region?.endColumn,
          ...(pkg.package ? { package: pkg.package, version: pkg.version } : {}),
          ...(tool === "gitleaks" && result.partialFingerprints?.commitSha ? { commit: result.partialFingerprints.commitSha } : {}),
        },
        fingerprint: sarifFingerprint(tool, finalRule, path, region, result, message, pkg.package),
        ...(pkg.fixedVersion !== undefined ? { fixAvailable: true, fixedVersion: pkg.fixedVersion } : pkg.package ? { fixAvailable: false } : {}),
        ...(suppression ? { suppressed: { kind: suppression.kind, justification: suppression.justification } } : {}),
        helpUri: rule?.helpUri,
        title: rule?.shortDescription?.text,
        ...(finalRule !== ruleId ? { aliases: [ruleId] } : {}),
      });
    });
  });
  return { tool: firstTool ?? "sarif", format: "sarif", findings, toolErrors, ...(toolVersion ? { toolVersion } : {}) };
}

/**
 * The partial fingerprint under which dpra's own SARIF (policy/sarif.ts) carries each finding's
 * fingerprint, so that SARIF used as a baseline matches the findings it was written from.
 */
export const DPRA_FINGERPRINT_KEY = "dpraFingerprint/v1";

function sarifFingerprint(
  tool: ToolName,
  rule: string,
  path: string | undefined,
  region: z.infer<typeof Region> | undefined,
  result: Result,
  message: string,
  pkg: string | undefined,
): string {
  const own = result.partialFingerprints?.[DPRA_FINGERPRINT_KEY];
  if (own) return own;
  const line = region?.startLine ?? 0;
  if (tool === "gitleaks") return gitleaksFingerprint(path ?? "", rule, line, result.partialFingerprints?.commitSha);
  if (tool === "semgrep") {
    const native = result.fingerprints?.["matchBasedId/v1"];
    return semgrepFingerprint(rule, path ?? "", native, region?.snippet?.text, line, region?.startColumn);
  }
  if (tool === "trivy" && pkg) return fingerprintOf("trivy", "sarif-vulnerability", path, pkg, rule);
  const given = result.partialFingerprints ?? result.fingerprints;
  if (given && Object.keys(given).length > 0) {
    return fingerprintOf(
      tool,
      rule,
      ...Object.entries(given)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`),
    );
  }
  return fingerprintOf(tool, rule, path, line, message);
}
