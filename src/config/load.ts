import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { ConfigError, formatPath, type ConfigProblem } from "./errors.js";
import { DpraConfig, type DpraConfigInput } from "./schema.js";
import { detectDefaults, type SourceListing } from "./detect.js";

export const CONFIG_FILE = "dpra.yaml";

/**
 * Parses and validates the text of a `dpra.yaml`. Every problem is reported at once, each with its
 * YAML path, line, what was expected and what was found.
 */
export function parseConfig(text: string, file = CONFIG_FILE): DpraConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return { path: "(yaml)", message: `not valid YAML: ${e.message.split("\n")[0]}`, line, column: col };
      }),
    );
  }
  const raw: unknown = doc.toJS() ?? {};
  return validateConfig(raw, file, doc, lineCounter);
}

/** Validates an already-parsed config object; `doc` adds line numbers to the problems when given. */
export function validateConfig(raw: unknown, file = CONFIG_FILE, doc?: Document, lineCounter?: LineCounter): DpraConfig {
  const result = DpraConfig.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => toProblems(issue, raw, doc, lineCounter)).sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  throw new ConfigError(file, problems);
}

function toProblems(issue: z.core.$ZodIssue, raw: unknown, doc?: Document, lc?: LineCounter): ConfigProblem[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      return {
        path: formatPath(path),
        message: "unknown key; check its spelling against the schema",
        ...position(doc, lc, path, true),
      };
    });
  }
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    // Report the branch that got furthest, not a generic "invalid input".
    const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0] ?? [];
    if (best.length > 0) return best.flatMap((sub) => toProblems({ ...sub, path: [...issue.path, ...sub.path] }, raw, doc, lc));
  }
  const value = valueAt(raw, issue.path);
  const missing = value === MISSING && issue.code === "invalid_type";
  return [
    {
      path: formatPath(issue.path),
      message: missing ? `required field is missing (expected ${issue.expected})` : issue.message,
      found: value === MISSING ? undefined : describe(value),
      ...position(doc, lc, issue.path, false),
    },
  ];
}

function depth(issues: z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

const MISSING = Symbol("missing");

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = raw;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return MISSING;
    if (!(key in (cur as object))) return MISSING;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
  return `${typeof value} ${String(value)}`;
}

/** Line and column of the node at `path` (or of its key), or of the nearest parent that exists. */
function position(doc: Document | undefined, lc: LineCounter | undefined, path: readonly PropertyKey[], atKey: boolean) {
  if (!doc || !lc) return {};
  let node: unknown = doc.contents;
  let offset: number | undefined = rangeStart(node);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) break;
      offset = atKey ? rangeStart(pair.key) : (rangeStart(pair.value) ?? rangeStart(pair.key));
      node = pair.value;
    } else if (isSeq(node) && typeof key === "number") {
      node = node.items[key];
      offset = rangeStart(node) ?? offset;
    } else break;
  }
  if (offset === undefined) return {};
  const { line, col } = lc.linePos(offset);
  return { line, column: col };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}

/**
 * Resolves the config of an application source: the file when present, else defaults
 * detected from what the source contains. Detection also fills fields the file leaves out.
 */
export function resolveConfig(text: string | undefined, listing: SourceListing, file = CONFIG_FILE): DpraConfig {
  const config = text === undefined ? validateConfig({}, file) : parseConfig(text, file);
  return detectDefaults(config, listing);
}

export type { DpraConfigInput };
