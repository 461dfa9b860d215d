import { z } from "zod";
import type { Finding, FindingSet } from "./model.js";
import { ReportError } from "./errors.js";
import { validate } from "./json.js";
import { fingerprintOf, firstLine, normalizePath, normalizeTrivyCheckId, severityFromWord } from "./normalize.js";
import { pickFixedVersion, splitFixedVersions } from "./versions.js";

const Vulnerability = z.object({
  VulnerabilityID: z.string().min(1),
  PkgName: z.string(),
  PkgPath: z.string().optional(),
  InstalledVersion: z.string().optional(),
  FixedVersion: z.string().optional(),
  Status: z.string().optional(),
  Severity: z.string(),
  Title: z.string().optional(),
  PrimaryURL: z.string().optional(),
});

const Misconfiguration = z.object({
  ID: z.string().min(1),
  AVDID: z.string().optional(),
  Title: z.string().optional(),
  Message: z.string().optional(),
  Resolution: z.string().optional(),
  Severity: z.string(),
  Status: z.string().optional(),
  PrimaryURL: z.string().optional(),
  CauseMetadata: z.object({ Resource: z.string().optional(), StartLine: z.number().int().optional(), EndLine: z.number().int().optional() }).optional(),
});

const Secret = z.object({
  RuleID: z.string().min(1),
  Severity: z.string(),
  Title: z.string().optional(),
  StartLine: z.number().int().optional(),
  EndLine: z.number().int().optional(),
});

const License = z.object({
  Name: z.string().min(1),
  Severity: z.string(),
  Category: z.string().optional(),
  PkgName: z.string().optional(),
  FilePath: z.string().optional(),
  Link: z.string().optional(),
});

const Modified = z.object({
  Type: z.string(),
  Status: z.string().optional(),
  Statement: z.string().optional(),
  Source: z.string().optional(),
  Finding: z.unknown(),
});

/** The arrays of a trivy result that hold findings. Everything else (Packages, MisconfSummary) is skipped. */
export const TRIVY_FINDING_KEYS = ["Vulnerabilities", "Misconfigurations", "Secrets", "Licenses", "ExperimentalModifiedFindings"] as const;
export type TrivyFindingKey = (typeof TRIVY_FINDING_KEYS)[number];
/** The scalars of a result the findings need. */
export const TRIVY_RESULT_FIELDS = ["Target", "Class", "Type"] as const;

export function isTrivyJson(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return "SchemaVersion" in v && ("Results" in v || "ArtifactName" in v);
}

interface ResultContext {
  target: string;
  index: number;
}

/**
 * Turns trivy JSON into findings one item at a time, so that the streaming reader and the
 * in-memory parser share the code: `item` validates and converts an element of a result's
 * finding arrays as soon as it is read, keeping only the compact finding.
 */
export class TrivyCollector {
  private readonly findings: Finding[] = [];
  private readonly pending = new Map<number, { target?: string; items: (() => Finding | undefined)[] }>();

  constructor(private readonly file: string) {}

  resultField(index: number, key: string, value: unknown): void {
    if (key !== "Target") return;
    if (typeof value !== "string") throw this.error(`Results[${index}].Target`, "expected the scan target as a string");
    this.slot(index).target = value;
  }

  item(index: number, key: TrivyFindingKey, position: number, raw: unknown): void {
    const at = `Results[${index}].${key}[${position}]`;
    const convert = this.converter(key, raw, at);
    if (convert) this.slot(index).items.push(convert);
  }

  endResult(index: number): void {
    const slot = this.pending.get(index);
    if (!slot) return;
    this.pending.delete(index);
    const ctx: ResultContext = { target: slot.target ?? "", index };
    for (const make of slot.items) {
      const finding = make.call(ctx);
      if (finding) this.findings.push(finding);
    }
  }

  finish(): FindingSet {
    for (const index of [...this.pending.keys()]) this.endResult(index);
    return { tool: "trivy", format: "trivy-json", findings: this.findings, toolErrors: [] };
  }

  private slot(index: number) {
    let slot = this.pending.get(index);
    if (!slot) {
      slot = { items: [] };
      this.pending.set(index, slot);
    }
    return slot;
  }

  private error(at: string, problem: string) {
    return validateError(this.file, at, problem);
  }

  // Validates now (so errors name the element) and converts once the result's Target is known.
  private converter(key: TrivyFindingKey, raw: unknown, at: string): ((this: ResultContext) => Finding | undefined) | undefined {
    const file = this.file;
    switch (key) {
      case "Vulnerabilities": {
        const v = validate(Vulnerability, raw, file, "trivy JSON", at);
        return function () {
          return vulnerabilityFinding(v, this.target);
        };
      }
      case "Misconfigurations": {
        const m = validate(Misconfiguration, raw, file, "trivy JSON", at);
        return function () {
          return misconfigFinding(m, this.target);
        };
      }
      case "Secrets": {
        const s = validate(Secret, raw, file, "trivy JSON", at);
        return function () {
          return secretFinding(s, this.target);
        };
      }
      case "Licenses": {
        const l = validate(License, raw, file, "trivy JSON", at);
        return function () {
          return licenseFinding(l, this.target);
        };
      }
      case "ExperimentalModifiedFindings": {
        const mod = validate(Modified, raw, file, "trivy JSON", at);
        const inner = innerKey(mod.Type);
        if (!inner) return undefined;
        const make = this.converter(inner, mod.Finding, `${at}.Finding`);
        if (!make) return undefined;
        const justification = [mod.Status, mod.Statement, mod.Source && `source ${mod.Source}`].filter(Boolean).join(", ");
        return function () {
          const f = make.call(this);
          return f ? { ...f, suppressed: { kind: "external", justification: justification || "modified by trivy" } } : undefined;
        };
      }
    }
  }
}

function validateError(file: string, at: string, problem: string): ReportError {
  return new ReportError(file, at, `not a valid trivy JSON report: ${problem}`);
}

function innerKey(type: string): TrivyFindingKey | undefined {
  switch (type.toLowerCase()) {
    case "vulnerability":
      return "Vulnerabilities";
    case "misconfiguration":
      return "Misconfigurations";
    case "secret":
      return "Secrets";
    case "license":
      return "Licenses";
    default:
      return undefined;
  }
}

const NO_FIX_STATUSES = new Set(["will_not_fix", "fix_deferred", "affected", "end_of_life", "under_investigation"]);

function vulnerabilityFinding(v: z.infer<typeof Vulnerability>, target: string): Finding {
  const versions = splitFixedVersions(v.FixedVersion);
  const fixAvailable = versions.length > 0 ? true : v.Status && !NO_FIX_STATUSES.has(v.Status) && v.Status !== "fixed" ? undefined : false;
  const fixedVersion = pickFixedVersion(v.InstalledVersion, versions);
  const path = normalizePath(target) ?? target;
  const fix =
    versions.length === 0
      ? ` (no fixed version${v.Status ? `, status ${v.Status}` : ""})`
      : ` (fixed in ${fixedVersion}${versions.length > 1 ? `; all fixed versions: ${versions.join(", ")}` : ""})`;
  return {
    tool: "trivy",
    category: "vulnerability",
    rule: v.VulnerabilityID,
    severity: severityFromWord(v.Severity, "low"),
    message: `${v.PkgName}${v.InstalledVersion ? ` ${v.InstalledVersion}` : ""}: ${firstLine(v.Title) || v.VulnerabilityID}${fix}`,
    location: { path, package: v.PkgName, version: v.InstalledVersion },
    // No installed version in the identity: upgrading to a version that is still affected is the same finding.
    fingerprint: fingerprintOf("trivy", "vulnerability", path, v.PkgPath, v.PkgName, v.VulnerabilityID),
    fixAvailable,
    ...(fixedVersion ? { fixedVersion } : {}),
    helpUri: v.PrimaryURL,
    title: v.Title,
  };
}

function misconfigFinding(m: z.infer<typeof Misconfiguration>, target: string): Finding | undefined {
  const status = (m.Status ?? "FAIL").toUpperCase();
  if (status === "PASS") return undefined;
  const rule = normalizeTrivyCheckId(m.AVDID ?? m.ID);
  const aliases = [...new Set([m.ID, m.AVDID].filter((a): a is string => !!a && a !== rule))];
  const path = normalizePath(target) ?? target;
  const cause = m.CauseMetadata;
  return {
    tool: "trivy",
    category: "misconfiguration",
    rule,
    severity: severityFromWord(m.Severity, "low"),
    message: `${firstLine(m.Message ?? m.Title) || rule}${m.Resolution ? ` Fix: ${firstLine(m.Resolution)}` : ""}`,
    location: { path, startLine: cause?.StartLine || undefined, endLine: cause?.EndLine || undefined },
    // The resource keeps the identity when lines move; the line is the fallback.
    fingerprint: fingerprintOf("trivy", "misconfiguration", path, rule, cause?.Resource || (cause?.StartLine ? `L${cause.StartLine}` : "")),
    helpUri: m.PrimaryURL,
    title: m.Title,
    ...(aliases.length > 0 ? { aliases } : {}),
    ...(status === "EXCEPTION" ? { suppressed: { kind: "external", justification: "trivy exception" } } : {}),
  };
}

function secretFinding(s: z.infer<typeof Secret>, target: string): Finding {
  const path = normalizePath(target) ?? target;
  return {
    tool: "trivy",
    category: "secret",
    rule: s.RuleID,
    severity: severityFromWord(s.Severity, "high"),
    // Never the match: trivy masks it, but a summary has no reason to carry it at all.
    message: `${s.Title ?? s.RuleID}: secret detected in ${path}${s.StartLine ? `:${s.StartLine}` : ""}`,
    location: { path, startLine: s.StartLine, endLine: s.EndLine },
    fingerprint: fingerprintOf("trivy", "secret", path, s.RuleID, s.StartLine),
    title: s.Title,
  };
}

function licenseFinding(l: z.infer<typeof License>, target: string): Finding {
  const path = normalizePath(l.FilePath ?? target) ?? target;
  const subject = l.PkgName ?? path;
  return {
    tool: "trivy",
    category: "license",
    rule: l.Name,
    severity: severityFromWord(l.Severity, "low"),
    message: `${subject}: license ${l.Name}${l.Category ? ` (${l.Category})` : ""}`,
    location: { path, package: l.PkgName },
    fingerprint: fingerprintOf("trivy", "license", path, l.PkgName, l.Name),
    helpUri: l.Link || undefined,
  };
}

const TrivyReport = z.object({
  SchemaVersion: z.number(),
  // Newer trivy releases state their version: "Trivy": {"Version": "0.74.0"}.
  Trivy: z.object({ Version: z.string().optional() }).optional(),
  Results: z.array(z.record(z.string(), z.unknown())).nullish(),
});

/** Parses an in-memory trivy JSON report. Large files go through the streaming reader instead. */
export function parseTrivyJson(value: unknown, file: string): FindingSet {
  const report = validate(TrivyReport, value, file, "trivy JSON");
  const collector = new TrivyCollector(file);
  (report.Results ?? []).forEach((result, index) => {
    collector.resultField(index, "Target", result.Target ?? "");
    for (const key of TRIVY_FINDING_KEYS) {
      const items = result[key];
      if (items === undefined || items === null) continue;
      if (!Array.isArray(items)) throw validateError(file, `Results[${index}].${key}`, "expected an array");
      items.forEach((item, position) => collector.item(index, key, position, item));
    }
    collector.endResult(index);
  });
  const set = collector.finish();
  return report.Trivy?.Version ? { ...set, toolVersion: report.Trivy.Version } : set;
}
