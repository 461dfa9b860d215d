import { z } from "zod";
import type { Finding, FindingSet, Severity } from "./model.js";
import { validate } from "./json.js";
import { fingerprintOf, firstLine, normalizePath } from "./normalize.js";

// `cfn-lint --format json`: an array of matches with PascalCase keys.
const Position = z.object({ LineNumber: z.number().int(), ColumnNumber: z.number().int().optional() });
const Match = z.object({
  Filename: z.string(),
  Level: z.string(),
  Message: z.string(),
  Location: z.object({ Start: Position, End: Position.optional(), Path: z.array(z.union([z.string(), z.number()])).nullish() }),
  Rule: z.object({ Id: z.string().min(1), ShortDescription: z.string().optional(), Description: z.string().optional(), Source: z.string().optional() }),
});

export function isCfnLintJson(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && typeof value[0] === "object" && value[0] !== null && "Rule" in value[0] && "Filename" in value[0];
}

function severityOf(level: string): Severity {
  switch (level.toLowerCase()) {
    case "error":
      return "high";
    case "warning":
      return "medium";
    default:
      return "info";
  }
}

/**
 * cfn-lint findings are misconfigurations of the CloudFormation templates: `Error` (the stack would
 * fail or is invalid) is high, `Warning` medium, `Informational` info. The identity uses the
 * template path of the match (`Resources.Fn.Properties.Runtime`), so it survives moved lines.
 */
export function parseCfnLintJson(value: unknown, file: string, root?: string): FindingSet {
  const matches = validate(z.array(Match), value, file, "cfn-lint JSON");
  const findings: Finding[] = matches.map((m) => {
    const path = normalizePath(m.Filename, root) ?? m.Filename;
    const where = m.Location.Path?.join(".") || `L${m.Location.Start.LineNumber}`;
    return {
      tool: "cfn-lint",
      category: "misconfiguration",
      rule: m.Rule.Id,
      severity: severityOf(m.Level),
      message: firstLine(m.Message, 1000),
      location: {
        path,
        startLine: m.Location.Start.LineNumber,
        startColumn: m.Location.Start.ColumnNumber,
        endLine: m.Location.End?.LineNumber,
        endColumn: m.Location.End?.ColumnNumber,
      },
      fingerprint: fingerprintOf("cfn-lint", m.Rule.Id, path, where, m.Message),
      title: m.Rule.ShortDescription,
      helpUri: m.Rule.Source,
    };
  });
  return { tool: "cfn-lint", format: "cfn-lint-json", findings, toolErrors: [] };
}
