import { z } from "zod";
import type { Category, Finding, FindingSet, Severity } from "./model.js";
import { validate } from "./json.js";
import { fingerprintOf, firstLine, normalizePath } from "./normalize.js";
import { sastCoverageFindings, SEMGREP_MISSING_CONFIG_CODE } from "./sast-coverage.js";

const Position = z.object({ line: z.number().int(), col: z.number().int().optional() });

const SemgrepResult = z.object({
  check_id: z.string().min(1),
  path: z.string(),
  start: Position,
  end: Position.optional(),
  extra: z.object({
    message: z.string().optional(),
    severity: z.string(),
    fingerprint: z.string().optional(),
    lines: z.string().optional(),
    is_ignored: z.boolean().optional(),
    fix: z.string().optional(),
    metadata: z
      .object({
        category: z.string().optional(),
        source: z.string().optional(),
        shortlink: z.string().optional(),
      })
      .optional(),
  }),
});

// `type` is a string ("Syntax error") or, for partial parsing, an array such as ["PartialParsing", [spans]].
const SemgrepError = z.object({
  code: z.number().optional(),
  level: z.string().optional(),
  type: z.union([z.string(), z.array(z.unknown())]).optional(),
  message: z.string().optional(),
  path: z.string().optional(),
});

const SemgrepReport = z.object({
  results: z.array(SemgrepResult),
  errors: z.array(SemgrepError).default([]),
  version: z.string().optional(),
  /** The files semgrep scanned (`skipped` only with --verbose); absent from some older reports. */
  paths: z.object({ scanned: z.array(z.string()).optional() }).optional(),
});

export function isSemgrepJson(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v.results) && ("errors" in v || "paths" in v) && !("runs" in v);
}

/** Legacy ERROR/WARNING/INFO and the newer CRITICAL/HIGH/MEDIUM/LOW severities on one scale. */
export function semgrepSeverity(word: string): Severity {
  switch (word.toUpperCase()) {
    case "CRITICAL":
      return "critical";
    case "ERROR":
    case "HIGH":
      return "high";
    case "WARNING":
    case "MEDIUM":
      return "medium";
    case "INFO":
    case "LOW":
      return "low";
    default:
      // EXPERIMENT, INVENTORY and anything newer: reported, not blocking by default.
      return "info";
  }
}

const QUALITY_CATEGORIES = new Set(["best-practice", "correctness", "performance", "maintainability", "portability", "compatibility"]);

/** Semgrep rules tagged as code quality go to `quality`; security rules (and untagged ones) are SAST. */
export function semgrepCategory(ruleCategory: string | undefined): Category {
  return ruleCategory && QUALITY_CATEGORIES.has(ruleCategory) ? "quality" : "sast";
}

/** Semgrep without login writes "requires login" in `fingerprint` and `lines`. */
export function isRealSemgrepValue(value: string | undefined): value is string {
  return value !== undefined && value !== "" && value !== "requires login";
}

/**
 * Semgrep's own fingerprint when it gave one; otherwise one of ours from the rule, the file and the
 * matched code (whitespace-normalised, so moving code keeps it), or the position when the code is hidden too.
 */
export function semgrepFingerprint(rule: string, path: string, native: string | undefined, lines: string | undefined, line: number, col?: number): string {
  if (isRealSemgrepValue(native)) return native;
  const code = isRealSemgrepValue(lines) ? lines.replace(/\s+/g, " ").trim() : `L${line}:${col ?? 0}`;
  return fingerprintOf("semgrep", rule, path, code);
}

export function semgrepErrorText(e: z.infer<typeof SemgrepError>): string {
  const type = Array.isArray(e.type) ? String(e.type[0] ?? "error") : (e.type ?? "error");
  return `${e.level ?? "error"}: ${type}: ${firstLine(e.message)}${e.path ? ` (${e.path})` : ""}`;
}

/**
 * A semgrep JSON report. A run that loaded no rule (an error with code 7) or scanned no file
 * (`paths.scanned: []`) adds a blocking finding (sast-coverage.ts); `config` names the rules it was given.
 */
export function parseSemgrepJson(value: unknown, file: string, config?: string): FindingSet {
  const report = validate(SemgrepReport, value, file, "semgrep JSON");
  const findings: Finding[] = report.results.map((r) => {
    const path = normalizePath(r.path) ?? r.path;
    const meta = r.extra.metadata;
    return {
      tool: "semgrep",
      category: semgrepCategory(meta?.category),
      rule: r.check_id,
      severity: semgrepSeverity(r.extra.severity),
      message: firstLine(r.extra.message ?? r.check_id, 1000),
      location: { path, startLine: r.start.line, endLine: r.end?.line, startColumn: r.start.col, endColumn: r.end?.col },
      fingerprint: semgrepFingerprint(r.check_id, path, r.extra.fingerprint, r.extra.lines, r.start.line, r.start.col),
      fixAvailable: r.extra.fix !== undefined ? true : undefined,
      helpUri: meta?.source ?? meta?.shortlink,
      ...(r.extra.is_ignored ? { suppressed: { kind: "inSource", justification: "nosemgrep" } } : {}),
    };
  });
  const coverage = {
    ...(report.errors.some((e) => e.code === SEMGREP_MISSING_CONFIG_CODE) ? { rulesLoaded: 0 } : {}),
    ...(report.paths?.scanned ? { filesScanned: report.paths.scanned.length } : {}),
  };
  findings.push(...sastCoverageFindings(coverage, config));
  return { tool: "semgrep", format: "semgrep-json", findings, toolErrors: report.errors.map(semgrepErrorText), ...(report.version ? { toolVersion: report.version } : {}) };
}
