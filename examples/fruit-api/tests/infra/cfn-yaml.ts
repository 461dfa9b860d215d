import { parseDocument, type Tags } from "yaml";

/**
 * CloudFormation's short-form intrinsic functions (`!Ref`, `!Sub`, `!GetAtt`, ...) as YAML tags that
 * resolve to their long form (`{ Ref: ... }`, `{ "Fn::Sub": ... }`), so that tests see the template the
 * way CloudFormation does.
 */
const FUNCTIONS = ["Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or", "Length", "ToJsonString"];

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

export const cloudFormationTags: Tags = ["Ref", "Condition", ...FUNCTIONS].flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => longForm(name, value) },
  { tag: `!${name}`, collection: "seq" as const, resolve: (seq: { toJSON(): unknown }) => longForm(name, seq.toJSON()) },
  { tag: `!${name}`, collection: "map" as const, resolve: (map: { toJSON(): unknown }) => longForm(name, map.toJSON()) },
]);

export type Template = {
  AWSTemplateFormatVersion: string;
  Parameters: Record<string, Record<string, unknown>>;
  Conditions: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[]; Condition?: string; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
  Outputs: Record<string, { Value: unknown; Description?: string }>;
};

/** Parses a template; any YAML error or unknown tag fails with its message. */
export function parseTemplate(text: string): Template {
  const doc = parseDocument(text, { customTags: cloudFormationTags, uniqueKeys: true });
  const problems = [...doc.errors, ...doc.warnings].map((e) => e.message);
  if (problems.length > 0) throw new Error(`template is not valid CloudFormation YAML:\n${problems.join("\n")}`);
  return doc.toJS() as Template;
}

/** Every value in the tree, depth first. */
export function* walk(value: unknown): Generator<unknown> {
  yield value;
  if (Array.isArray(value)) for (const item of value) yield* walk(item);
  else if (value !== null && typeof value === "object") for (const item of Object.values(value)) yield* walk(item);
}
