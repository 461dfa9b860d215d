import { z } from "zod";
import type { Finding, FindingSet } from "./model.js";
import { validate } from "./json.js";
import { fingerprintOf, firstLine, normalizePath } from "./normalize.js";

const Message = z.object({
  ruleId: z.string().nullable().optional(),
  severity: z.number().int(),
  message: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  endLine: z.number().int().optional(),
  endColumn: z.number().int().optional(),
  fatal: z.boolean().optional(),
  fix: z.unknown().optional(),
  suppressions: z.array(z.object({ kind: z.string(), justification: z.string().optional() })).optional(),
});

const FileResult = z.object({
  filePath: z.string(),
  messages: z.array(Message),
  suppressedMessages: z.array(Message).optional(),
  source: z.string().optional(),
});

export function isEslintJson(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && typeof value[0] === "object" && value[0] !== null && "filePath" in value[0] && "messages" in value[0];
}

/**
 * ESLint `--format json`. Errors (severity 2) and parse failures are `high`, warnings `medium`, so the
 * default quality threshold (`high`) blocks on what the project itself made an error. Paths are
 * absolute in ESLint output; `root` makes them relative so fingerprints survive a change of machine.
 */
export function parseEslintJson(value: unknown, file: string, root?: string): FindingSet {
  const files = validate(z.array(FileResult), value, file, "ESLint JSON");
  const findings: Finding[] = [];
  for (const f of files) {
    const path = normalizePath(f.filePath, root) ?? f.filePath;
    const seen = new Map<string, number>();
    const add = (m: z.infer<typeof Message>, suppressed: boolean) => {
      const rule = m.ruleId ?? (m.fatal ? "fatal-parse-error" : "eslint");
      // Same rule and message in the same file: count them so each keeps its own identity without the line.
      const key = `${rule}\u0000${m.message}`;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      const s = m.suppressions?.[0];
      findings.push({
        tool: "eslint",
        category: "quality",
        rule,
        severity: m.fatal || m.severity >= 2 ? "high" : m.severity === 1 ? "medium" : "info",
        message: firstLine(m.message, 1000),
        location: { path, startLine: m.line, endLine: m.endLine, startColumn: m.column, endColumn: m.endColumn },
        fingerprint: fingerprintOf("eslint", rule, path, m.message, n),
        fixAvailable: m.fix !== undefined ? true : undefined,
        ...(suppressed ? { suppressed: { kind: s?.kind ?? "directive", justification: s?.justification } } : {}),
      });
    };
    for (const m of f.messages) add(m, false);
    for (const m of f.suppressedMessages ?? []) add(m, true);
  }
  return { tool: "eslint", format: "eslint-json", findings, toolErrors: [] };
}
