import type { z } from "zod";
import { ReportError, lineColumn } from "./errors.js";

/** JSON.parse with an error that names the file, line and column. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(message);
    const at = pos ? lineColumn(text, Number(pos[1])) : undefined;
    throw new ReportError(
      file,
      at ? `line ${at.line}, column ${at.column}` : "",
      `not valid JSON (${message.replace(/\s*\(line \d+ column \d+\)$/, "")}); check that the tool finished writing the report`,
    );
  }
}

/** Formats a zod path as `Results[0].Vulnerabilities[3].Severity`, prefixed by where the value came from. */
export function formatJsonPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(root)" : out;
}

/** Validates with zod; the error names the file, the JSON path of the first problem and what was expected. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, file: string, format: string, prefix = ""): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problems)` : "";
  throw new ReportError(
    file,
    formatJsonPath(prefix, issue?.path ?? []),
    `not a valid ${format} report: ${issue?.message ?? "invalid"}${more}`,
  );
}
