import type { z } from "zod";
import { ReportError, formatJsonPath, lineColumn } from "./errors.js";
import { JsonStreamParser } from "./stream-json.js";
import { errorMessage } from "../errors.js";

export { formatJsonPath };

/** JSON.parse with an error that names the file, line, column and JSON path of the failure. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const message = errorMessage(err);
    const where = locateJsonError(text);
    const reason = where?.problem ?? message.replace(/\s*\(line \d+ column \d+\)$/, "");
    throw new ReportError(
      file,
      where ? `line ${where.line}, column ${where.column} (${where.path})` : "",
      `not valid JSON: ${reason}; check that the tool finished writing the report`,
    );
  }
}

/**
 * Node 20's JSON.parse errors give no position for most problems. On the (rare) failure path the
 * streaming parser walks the text again to find the line, column and JSON path.
 */
function locateJsonError(text: string): { line: number; column: number; path: string; problem: string } | undefined {
  const bytes = Buffer.from(text, "utf8");
  const parser = new JsonStreamParser({ select: (_p, kind) => (kind === "scalar" ? "skip" : "descend"), value: () => undefined }, "");
  try {
    parser.write(bytes);
    parser.end();
  } catch (err) {
    if (!(err instanceof ReportError)) return undefined;
    const m = /^(.*) \(byte (\d+)\)$/.exec(err.at);
    if (!m) return undefined;
    const offset = Buffer.from(bytes.subarray(0, Number(m[2]))).toString("utf8").length;
    const { line, column } = lineColumn(text, offset);
    return { line, column, path: m[1]!, problem: err.problem.replace(/^not valid JSON: /, "") };
  }
  return undefined;
}

/** Validates with zod; the error names the file, the JSON path of the first problem and what was expected. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, file: string, format: string, prefix = ""): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problems)` : "";
  throw new ReportError(file, formatJsonPath(prefix, issue?.path ?? []), `not a valid ${format} report: ${issue?.message ?? "invalid"}${more}`);
}
