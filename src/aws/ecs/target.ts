// Where the migration task runs, read from the stack's outputs under the names dpra.yaml gives
// (`database.aws`), and the checks that say what the template must add when something is missing.
import type { DatabaseAwsConfig } from "../../config/sections/database.js";
import type { MigrationTarget } from "./migration-task.js";

const list = (value: string) =>
  value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);

/** What each output must hold, for the message that names a missing one. */
function outputsWanted(names: DatabaseAwsConfig): Array<[string, string]> {
  return [
    [names.taskDefinitionOutput, "the ARN of the migration task definition (!Ref of an AWS::ECS::TaskDefinition that runs the migrations)"],
    [names.clusterOutput, "the ECS cluster to run it on (!Ref of the AWS::ECS::Cluster)"],
    [names.subnetsOutput, "the task's subnets, comma-separated (!Join [\",\", [...]])"],
    [names.securityGroupOutput, "a security group allowed to reach the database"],
  ];
}

/** The migration task's cluster, task definition and network from the stack outputs; throws naming what is missing. */
export function migrationTargetFrom(outputs: Record<string, string>, names: DatabaseAwsConfig, where: { stack: string; region: string }): MigrationTarget {
  const missing = outputsWanted(names).filter(([key]) => !outputs[key]?.trim());
  if (missing.length > 0) {
    throw new Error(
      `stack ${where.stack} in ${where.region} has no output ${missing.map(([k]) => k).join(", ")}: the DB deploy runs the migrations as an ECS task ` +
        `from these outputs. Add to the template's Outputs: ${missing.map(([k, what]) => `${k} (${what})`).join("; ")}, ` +
        "or name your outputs in dpra.yaml database.aws (see docs/gamma-prod.md).",
    );
  }
  const target = {
    cluster: outputs[names.clusterOutput]!.trim(),
    taskDefinition: outputs[names.taskDefinitionOutput]!.trim(),
    subnets: list(outputs[names.subnetsOutput]!),
    securityGroups: list(outputs[names.securityGroupOutput]!),
  };
  if (target.subnets.length === 0 || target.securityGroups.length === 0) {
    throw new Error(`stack ${where.stack} in ${where.region}: outputs ${names.subnetsOutput} and ${names.securityGroupOutput} must name at least one subnet and security group`);
  }
  return target;
}

/**
 * The names the template must declare (the migration image parameter and the four outputs) that its
 * text does not mention: checked before a first deploy, when there is no stack to ask yet.
 */
export function namesMissingFromTemplate(templateBody: string, names: DatabaseAwsConfig): string[] {
  const wanted = [names.migrationImageParameter, ...outputsWanted(names).map(([k]) => k)];
  return wanted.filter((name) => !new RegExp(`(^|[^A-Za-z0-9])${name}\\s*:`, "m").test(templateBody) && !templateBody.includes(`"${name}"`));
}
