import { z } from "zod";
import { CATEGORIES, SEVERITIES, type FindingSet } from "./model.js";
import { validate } from "./json.js";

/** Format marker of the gate's own JSON report (src/policy/render.ts); a previous one serves as a baseline. */
export const DPRA_REPORT_SCHEMA = "dpra-gate/v1";

const StoredFinding = z.object({
  tool: z.string(),
  category: z.enum(CATEGORIES),
  rule: z.string(),
  severity: z.enum(SEVERITIES),
  message: z.string(),
  location: z.object({
    path: z.string().optional(),
    startLine: z.number().optional(),
    endLine: z.number().optional(),
    startColumn: z.number().optional(),
    endColumn: z.number().optional(),
    package: z.string().optional(),
    version: z.string().optional(),
    commit: z.string().optional(),
  }),
  fingerprint: z.string().min(1),
  fixAvailable: z.boolean().optional(),
  fixedVersion: z.string().optional(),
  suppressed: z.object({ kind: z.string(), justification: z.string().optional() }).optional(),
  helpUri: z.string().optional(),
  title: z.string().optional(),
  aliases: z.array(z.string()).optional(),
});

const DpraReport = z.object({
  schema: z.literal(DPRA_REPORT_SCHEMA),
  findings: z.array(z.object({ finding: StoredFinding })),
});

export function isDpraReport(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>).schema === DPRA_REPORT_SCHEMA;
}

/** Reads the findings back from a gate JSON report. */
export function parseDpraReport(value: unknown, file: string): FindingSet {
  const report = validate(DpraReport, value, file, "dpra gate JSON");
  return { tool: "dpra", format: "dpra-json", findings: report.findings.map((f) => f.finding), toolErrors: [] };
}
