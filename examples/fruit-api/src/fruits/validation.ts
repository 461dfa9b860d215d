import type { FruitInput } from "./model.js";

/** One reason a request was refused, named by the field it concerns. */
export interface Problem {
  field: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

const FIELDS = new Set(["name", "color", "origin"]);
export const LIMITS = { name: 100, color: 50, origin: 100 } as const;

/** Checks a create/replace body. Every problem is reported at once, so a client can fix them in one go. */
export function checkFruitInput(body: unknown): Checked<FruitInput> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return { ok: false, problems: [{ field: "body", message: "expected a JSON object with name and color" }] };
  }
  const record = body as Record<string, unknown>;
  const problems: Problem[] = [];
  for (const key of Object.keys(record)) {
    if (!FIELDS.has(key)) problems.push({ field: key, message: "unknown field; allowed fields are name, color and origin" });
  }
  const name = text(record, "name", LIMITS.name, true, problems);
  const color = text(record, "color", LIMITS.color, true, problems);
  const origin = record.origin === null ? null : (text(record, "origin", LIMITS.origin, false, problems) ?? null);
  if (problems.length > 0 || name === undefined || color === undefined) return { ok: false, problems };
  return { ok: true, value: { name, color, origin } };
}

function text(record: Record<string, unknown>, field: string, max: number, required: boolean, problems: Problem[]): string | undefined {
  const value = record[field];
  if (value === undefined) {
    if (required) problems.push({ field, message: "is required" });
    return undefined;
  }
  if (typeof value !== "string") {
    problems.push({ field, message: `expected a string, got ${value === null ? "null" : typeof value}` });
    return undefined;
  }
  const trimmed = value.trim();
  if (trimmed === "") {
    problems.push({ field, message: "must not be empty" });
    return undefined;
  }
  if (trimmed.length > max) {
    problems.push({ field, message: `must be at most ${max} characters, got ${trimmed.length}` });
    return undefined;
  }
  return trimmed;
}

/** Ids are positive 32-bit integers (the column is `integer`). */
export function checkId(raw: string): Checked<number> {
  if (!/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) {
    return { ok: false, problems: [{ field: "id", message: `expected a positive whole number, got "${raw}"` }] };
  }
  return { ok: true, value: Number(raw) };
}

/** Checks `limit` (1-100, default 50) and `offset` (0 or more, default 0) of the list query. */
export function checkPage(query: Record<string, unknown>): Checked<{ limit: number; offset: number }> {
  const problems: Problem[] = [];
  const number = (field: string, fallback: number, min: number, max: number): number => {
    const raw = query[field];
    if (raw === undefined) return fallback;
    if (typeof raw !== "string" || !/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push({ field, message: `expected a whole number from ${min} to ${max}` });
      return fallback;
    }
    return Number(raw);
  };
  const limit = number("limit", 50, 1, 100);
  const offset = number("offset", 0, 0, 100_000_000);
  for (const key of Object.keys(query)) {
    if (key !== "limit" && key !== "offset") problems.push({ field: key, message: "unknown query parameter; allowed are limit and offset" });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: { limit, offset } };
}
