import { parseDocument, type Tags } from "yaml";
import { z } from "zod";
import { ConfigError, formatPath, type ConfigProblem } from "./errors.js";

/**
 * CloudFormation's short-form intrinsic functions (`!Ref`, `!Sub`, `!GetAtt`, ...) as YAML tags that
 * resolve to their long form (`{ Ref: ... }`, `{ "Fn::Sub": ... }`), so that code sees the template the
 * way CloudFormation does.
 */
const FUNCTIONS = [
  "Base64",
  "Cidr",
  "FindInMap",
  "GetAtt",
  "GetAZs",
  "ImportValue",
  "Join",
  "Select",
  "Split",
  "Sub",
  "Transform",
  "And",
  "Equals",
  "If",
  "Not",
  "Or",
  "Length",
  "ToJsonString",
];

function longForm(name: string, value: unknown): unknown {
  if (name === "Ref") return { Ref: value };
  if (name === "Condition") return { Condition: value };
  // The short form of GetAtt takes "Resource.Attribute"; the long form a two-item list.
  if (name === "GetAtt" && typeof value === "string") {
    const dot = value.indexOf(".");
    return { "Fn::GetAtt": [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

/** The short-form tags for the `yaml` package's `customTags`, scalar, sequence and mapping forms. */
export const cloudFormationTags: Tags = ["Ref", "Condition", ...FUNCTIONS].flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => longForm(name, value) },
  { tag: `!${name}`, collection: "seq" as const, resolve: (seq: { toJSON(): unknown }) => longForm(name, seq.toJSON()) },
  { tag: `!${name}`, collection: "map" as const, resolve: (map: { toJSON(): unknown }) => longForm(name, map.toJSON()) },
]);

const scalarDefault = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]);

/** The parts of a template that the config↔template contract reads. Other keys pass through. */
export const templateSchema = z
  .object({
    Parameters: z.record(z.string(), z.object({ Type: z.string(), Default: scalarDefault.optional() }).passthrough()).optional(),
    Conditions: z.record(z.string(), z.unknown()).optional(),
    Resources: z.record(z.string(), z.object({ Type: z.string() }).passthrough()).optional(),
    Outputs: z.record(z.string(), z.object({ Value: z.unknown(), Condition: z.string().optional() }).passthrough()).optional(),
  })
  .passthrough();

export type CloudFormationTemplate = z.infer<typeof templateSchema>;

/** Parses YAML (with the short-form tags) or JSON template text; `file` names the template in errors. */
export function parseCloudFormationTemplate(text: string, file: string): CloudFormationTemplate {
  const doc = parseDocument(text, { customTags: cloudFormationTags, uniqueKeys: true, prettyErrors: false });
  const yamlProblems: ConfigProblem[] = [...doc.errors, ...doc.warnings].map((e) => ({
    path: "(root)",
    message: `not valid CloudFormation YAML or JSON: ${e.message}`,
    ...(e.linePos?.[0] ? { line: e.linePos[0].line, column: e.linePos[0].col } : {}),
  }));
  if (yamlProblems.length > 0) throw new ConfigError(file, yamlProblems);
  const parsed = templateSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new ConfigError(
      file,
      parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: `${issue.message}; fix this field of the template` })),
    );
  }
  return parsed.data;
}
