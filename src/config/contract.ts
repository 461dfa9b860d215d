import { migrationOutputsRead } from "./migration-outputs.js";
import type { CloudFormationTemplate } from "./template.js";
import type { ConfigProblem } from "./errors.js";
import type { DpraConfig } from "./schema.js";
import { checkStrategy } from "./strategy-contract.js";

/** The environments deployed with a CloudFormation template. */
export type ContractEnvironment = "gamma" | "prod";

/** A stack output the configuration reads, with the dpra.yaml field that names it. */
interface OutputRead {
  output: string;
  field: string;
}

/** Parameters the pipeline itself passes to the stack: the image, and the migration image with a database. */
export function pipelineParameters(config: DpraConfig, envName: ContractEnvironment): Map<string, string> {
  const env = config.environments[envName];
  const out = new Map<string, string>();
  if (env === undefined) return out;
  out.set(env.imageParameter, `environments.${envName}.imageParameter`);
  if (config.database?.aws !== undefined) out.set(config.database.aws.migrationImageParameter, "database.aws.migrationImageParameter");
  return out;
}

/** Every stack output that the configuration or its defaults read. */
export function outputsRead(config: DpraConfig): OutputRead[] {
  const reads: OutputRead[] = [];
  const s = config.synthetics;
  if (s !== undefined) {
    reads.push({ output: s.endpointOutput, field: "synthetics.endpointOutput" });
    if (s.executionRoleArn === undefined) reads.push({ output: s.executionRoleOutput, field: "synthetics.executionRoleOutput" });
    if (s.artifactS3Location === undefined) reads.push({ output: s.artifactsOutput, field: "synthetics.artifactsOutput" });
  }
  if (config.capacity !== undefined) reads.push({ output: config.capacity.endpointOutput, field: "capacity.endpointOutput" });
  const db = config.database?.aws;
  if (db !== undefined) {
    for (const { output, field } of migrationOutputsRead(db)) reads.push({ output, field });
  }
  return reads;
}

/**
 * Evaluates a template condition on the known parameter values: true, false, or undefined when it
 * depends on a value not known before deploy (a pipeline parameter, a pseudo parameter, an intrinsic).
 */
export function evaluateCondition(node: unknown, known: ReadonlyMap<string, string>, conditions: Record<string, unknown>, seen: readonly string[] = []): boolean | undefined {
  if (typeof node === "boolean") return node;
  if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
  const [key, arg] = Object.entries(node)[0] ?? [];
  const list = Array.isArray(arg) ? (arg as unknown[]) : [];
  if (key === "Condition" && typeof arg === "string") {
    if (seen.includes(arg) || !(arg in conditions)) return undefined;
    return evaluateCondition(conditions[arg], known, conditions, [...seen, arg]);
  }
  if (key === "Fn::Not") {
    const v = evaluateCondition(list[0], known, conditions, seen);
    return v === undefined ? undefined : !v;
  }
  if (key === "Fn::And" || key === "Fn::Or") {
    const values = list.map((c) => evaluateCondition(c, known, conditions, seen));
    const decisive = key === "Fn::And" ? false : true;
    if (values.includes(decisive)) return decisive;
    return values.includes(undefined) ? undefined : !decisive;
  }
  if (key === "Fn::Equals" && list.length === 2) {
    const [a, b] = list.map((v) => scalarValue(v, known));
    return a === undefined || b === undefined ? undefined : a === b;
  }
  return undefined;
}

function scalarValue(node: unknown, known: ReadonlyMap<string, string>): string | undefined {
  if (typeof node === "string" || typeof node === "number" || typeof node === "boolean") return String(node);
  if (node !== null && typeof node === "object" && !Array.isArray(node) && "Ref" in node && typeof node.Ref === "string") return known.get(node.Ref);
  return undefined;
}

/**
 * Checks one environment's resolved dpra.yaml against its template: every parameter without a default
 * is supplied, every output the configuration reads exists (and its Condition can hold), and every
 * parameter dpra.yaml sets is declared, and the template implements `deployment.strategy`
 * (src/config/strategy-contract.ts). Returns the violations as config problems of `templateFile`.
 */
export function checkContract(config: DpraConfig, envName: ContractEnvironment, template: CloudFormationTemplate, templateFile: string): ConfigProblem[] {
  const env = config.environments[envName];
  if (env === undefined) return [];
  const problems: ConfigProblem[] = [];
  const declared = template.Parameters ?? {};
  const pipeline = pipelineParameters(config, envName);
  const setField = `environments.${envName}.parameters`;

  for (const [name, p] of Object.entries(declared)) {
    if (p.Default !== undefined || name in env.parameters || pipeline.has(name)) continue;
    problems.push({
      path: `Parameters.${name}`,
      message: `has no Default and neither dpra.yaml nor the pipeline supplies it; add a Default in ${templateFile} or set ${setField}.${name}`,
    });
  }
  for (const name of Object.keys(env.parameters)) {
    if (name in declared) continue;
    problems.push({
      path: `${setField}.${name}`,
      message: `is set in dpra.yaml but ${templateFile} declares no such parameter; declare it under Parameters or remove it from dpra.yaml`,
    });
  }
  for (const [name, field] of pipeline) {
    if (name in declared) continue;
    problems.push({
      path: field,
      message: `the pipeline passes the parameter ${name} but ${templateFile} declares no such parameter; declare it under Parameters or set ${field} to a declared one`,
    });
  }

  const known = new Map<string, string>();
  for (const [name, p] of Object.entries(declared)) if (p.Default !== undefined && !Array.isArray(p.Default)) known.set(name, String(p.Default));
  for (const [name, value] of Object.entries(env.parameters)) known.set(name, value);
  for (const name of pipeline.keys()) known.delete(name);
  const outputs = template.Outputs ?? {};
  const conditions = template.Conditions ?? {};
  const reported = new Set<string>();
  for (const { output, field } of outputsRead(config)) {
    if (reported.has(output)) continue;
    reported.add(output);
    const o = outputs[output];
    if (o === undefined) {
      problems.push({
        path: `Outputs.${output}`,
        message: `is read by dpra.yaml ${field} but ${templateFile} has no such output; add the output to the template or set ${field} to an existing one`,
      });
      continue;
    }
    if (o.Condition === undefined) continue;
    const holds = o.Condition in conditions ? evaluateCondition(conditions[o.Condition], known, conditions, [o.Condition]) : false;
    if (holds === false) {
      problems.push({
        path: `Outputs.${output}`,
        message: `is read by dpra.yaml ${field} but its Condition ${o.Condition} is false with the ${envName} parameters, so the stack will not have it; change ${setField} or the condition`,
      });
    } else if (holds === undefined) {
      problems.push({
        path: `Outputs.${output}`,
        message: `is read by dpra.yaml ${field} but its Condition ${o.Condition} cannot be decided before deploy; make the condition depend only on parameters with known values, or drop the Condition`,
      });
    }
  }
  problems.push(...checkStrategy(env.deployment.strategy, template, templateFile, `environments.${envName}.deployment.strategy`, known));
  return problems;
}

/** Every environment deployed with a CloudFormation template, in release order. */
export const AWS_CONTRACT_ENVIRONMENTS: readonly ContractEnvironment[] = ["gamma", "prod"];

/** The AWS environments a release to `target` deploys, in order. */
export function contractEnvironments(target: string): ContractEnvironment[] {
  if (target === "prod") return ["gamma", "prod"];
  if (target === "gamma") return ["gamma"];
  return [];
}
