// Where the migration task runs: the cluster and task definition from the stack's outputs under the
// names dpra.yaml gives (`database.aws`), the network (subnets, security groups, public IP) each
// written in dpra.yaml or read from a named output, and the checks that say what the template must
// add when something is missing.
import { migrationOutputsRead } from "../../config/migration-outputs.js";
import { AssignPublicIp, type DatabaseAwsConfig } from "../../config/sections/database.js";
import type { MigrationTarget } from "../../aws/ecs/migration-task.js";

const list = (value: string) =>
  value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);

const read = (outputs: Record<string, string>, name: string) => outputs[name]?.trim() ?? "";

/** The migration task's cluster, task definition and network; throws naming what is missing or malformed. */
export function migrationTargetFrom(outputs: Record<string, string>, names: DatabaseAwsConfig, where: { stack: string; region: string }): MigrationTarget {
  const missing = migrationOutputsRead(names).filter(({ output }) => !outputs[output]?.trim());
  if (missing.length > 0) {
    throw new Error(
      `stack ${where.stack} in ${where.region} has no output ${missing.map((m) => m.output).join(", ")}: the DB deploy runs the migrations as an ECS task ` +
        `from these outputs. Add to the template's Outputs: ${missing.map((m) => `${m.output} (${m.holds})`).join("; ")}, ` +
        "or name your outputs in dpra.yaml database.aws (see docs/gamma-prod.md).",
    );
  }
  const subnets = Array.isArray(names.subnets) ? names.subnets : list(read(outputs, names.subnets.output));
  const securityGroups = Array.isArray(names.securityGroups) ? names.securityGroups : list(read(outputs, names.securityGroups.output));
  if (subnets.length === 0 || securityGroups.length === 0) {
    const empty = [...(subnets.length === 0 ? ["subnets"] : []), ...(securityGroups.length === 0 ? ["securityGroups"] : [])];
    throw new Error(
      `stack ${where.stack} in ${where.region}: the outputs read by database.aws.${empty.join(" and database.aws.")} must name at least one subnet and security group (comma-separated)`,
    );
  }
  return {
    cluster: read(outputs, names.clusterOutput),
    taskDefinition: read(outputs, names.taskDefinitionOutput),
    subnets,
    securityGroups,
    assignPublicIp: assignPublicIpFrom(outputs, names, where),
  };
}

function assignPublicIpFrom(outputs: Record<string, string>, names: DatabaseAwsConfig, where: { stack: string; region: string }): AssignPublicIp {
  if (typeof names.assignPublicIp === "string") return names.assignPublicIp;
  const name = names.assignPublicIp.output;
  const value = read(outputs, name);
  const parsed = AssignPublicIp.safeParse(value);
  if (!parsed.success) {
    throw new Error(
      `stack ${where.stack} in ${where.region}: output ${name}, read by dpra.yaml database.aws.assignPublicIp, is "${value}" but must be ENABLED or DISABLED; ` +
        "fix the output's Value in the template, or set database.aws.assignPublicIp to ENABLED or DISABLED",
    );
  }
  return parsed.data;
}

/**
 * The names the template must declare (the migration image parameter and the outputs read) that its
 * text does not mention: checked before a first deploy, when there is no stack to ask yet.
 */
export function namesMissingFromTemplate(templateBody: string, names: DatabaseAwsConfig): string[] {
  const wanted = [names.migrationImageParameter, ...migrationOutputsRead(names).map((r) => r.output)];
  return wanted.filter((name) => !new RegExp(`(^|[^A-Za-z0-9])${name}\\s*:`, "m").test(templateBody) && !templateBody.includes(`"${name}"`));
}
