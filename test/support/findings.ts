import { readFileSync } from "node:fs";
import type { Finding, FindingSet } from "../../src/findings/model.js";
import { parseReportFile } from "../../src/findings/parse.js";
import { fixturePath } from "./fixtures.js";

export function fixtureText(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), "utf8");
}

export function fixtureJson(...parts: string[]): unknown {
  return JSON.parse(fixtureText(...parts)) as unknown;
}

export function parseFixture(...parts: string[]): Promise<FindingSet> {
  return parseReportFile(fixturePath(...parts));
}

/** `{ "category:severity": count }`, the shape most assertions compare. */
export function tally(findings: Finding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) {
    const key = `${f.category}:${f.severity}${f.suppressed ? ":suppressed" : ""}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

export function unique<T>(values: T[]): boolean {
  return new Set(values).size === values.length;
}
