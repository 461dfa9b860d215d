import { z } from "zod";
import type { Finding, FindingSet } from "./model.js";
import { validate } from "./json.js";
import { normalizePath } from "./normalize.js";

// gitleaks v8 JSON: an array of findings with PascalCase keys. `Secret` and `Match` are never copied:
// reports, logs and summaries must not carry the secret.
const V8Finding = z.object({
  RuleID: z.string().min(1),
  Description: z.string().optional(),
  StartLine: z.number().int(),
  EndLine: z.number().int().optional(),
  StartColumn: z.number().int().optional(),
  EndColumn: z.number().int().optional(),
  File: z.string(),
  Commit: z.string().optional(),
  Link: z.string().optional(),
  Tags: z.array(z.string()).nullish(),
  Fingerprint: z.string().optional(),
});

// gitleaks v7 JSON: lowercase keys (`rule`, `file`, `lineNumber`, `offender`, `commit`, `leakURL`, `tags` as a string).
const V7Finding = z.object({
  rule: z.string().min(1),
  file: z.string(),
  lineNumber: z.number().int(),
  commit: z.string().optional(),
  leakURL: z.string().optional(),
  tags: z.string().optional(),
});

export function isGitleaksV8(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && typeof value[0] === "object" && value[0] !== null && "RuleID" in value[0];
}

export function isGitleaksV7(value: unknown): boolean {
  return (
    Array.isArray(value) && value.length > 0 && typeof value[0] === "object" && value[0] !== null && "rule" in value[0] && ("offender" in value[0] || "lineNumber" in value[0])
  );
}

/**
 * gitleaks' own fingerprint format (`commit:file:rule:line`, or `file:rule:line` for directory scans),
 * which is also what `.gitleaksignore` holds: one identity for the pipeline and the pre-commit hook.
 */
export function gitleaksFingerprint(file: string, rule: string, line: number, commit?: string): string {
  return commit ? `${commit}:${file}:${rule}:${line}` : `${file}:${rule}:${line}`;
}

function secretFinding(rule: string, file: string, line: number, extra: Partial<Finding> & { commit?: string; fingerprint?: string }): Finding {
  const path = normalizePath(file) ?? file;
  const commit = extra.commit || undefined;
  return {
    tool: "gitleaks",
    category: "secret",
    rule,
    severity: "high",
    message: `${extra.title ? `${extra.title}: ` : ""}secret detected by rule ${rule} in ${path}:${line}${commit ? ` (commit ${commit.slice(0, 12)})` : ""}`,
    location: { path, startLine: line, endLine: extra.location?.endLine, startColumn: extra.location?.startColumn, endColumn: extra.location?.endColumn, commit },
    fingerprint: extra.fingerprint || gitleaksFingerprint(path, rule, line, commit),
    fixAvailable: undefined,
    title: extra.title,
    helpUri: extra.helpUri,
  };
}

export function parseGitleaksJson(value: unknown, file: string): FindingSet {
  if (isGitleaksV7(value)) {
    const rows = validate(z.array(V7Finding), value, file, "gitleaks v7 JSON");
    return {
      tool: "gitleaks",
      format: "gitleaks-json-v7",
      toolErrors: [],
      findings: rows.map((r) => secretFinding(r.rule, r.file, r.lineNumber, { commit: r.commit, helpUri: r.leakURL || undefined })),
    };
  }
  const rows = validate(z.array(V8Finding), value, file, "gitleaks JSON");
  return {
    tool: "gitleaks",
    format: "gitleaks-json",
    toolErrors: [],
    findings: rows.map((r) =>
      secretFinding(r.RuleID, r.File, r.StartLine, {
        commit: r.Commit,
        fingerprint: r.Fingerprint,
        title: r.Description || undefined,
        helpUri: r.Link || undefined,
        location: { endLine: r.EndLine, startColumn: r.StartColumn, endColumn: r.EndColumn },
      }),
    ),
  };
}
