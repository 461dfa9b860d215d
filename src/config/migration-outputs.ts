// The stack outputs the migration task reads under the names dpra.yaml gives (`database.aws`): the
// config's contract checks them against the template before anything deploys, and
// src/aws/ecs/target.ts reads them from the deployed stack.
import type { DatabaseAwsConfig } from "./sections/database.js";

/** A stack output the migration task reads, what it must hold, and the dpra.yaml field that names it. */
export interface MigrationOutputRead {
  output: string;
  field: string;
  holds: string;
}

/** Every stack output the migration task reads with these settings (literal network values read none). */
export function migrationOutputsRead(names: DatabaseAwsConfig): MigrationOutputRead[] {
  const reads: MigrationOutputRead[] = [
    {
      output: names.taskDefinitionOutput,
      field: "database.aws.taskDefinitionOutput",
      holds: "the ARN of the migration task definition (!Ref of an AWS::ECS::TaskDefinition that runs the migrations)",
    },
    { output: names.clusterOutput, field: "database.aws.clusterOutput", holds: "the ECS cluster to run it on (!Ref of the AWS::ECS::Cluster)" },
  ];
  if (!Array.isArray(names.subnets))
    reads.push({ output: names.subnets.output, field: "database.aws.subnets.output", holds: 'the task\'s subnets, comma-separated (!Join [",", [...]])' });
  if (!Array.isArray(names.securityGroups)) {
    reads.push({ output: names.securityGroups.output, field: "database.aws.securityGroups.output", holds: "a security group allowed to reach the database" });
  }
  if (typeof names.assignPublicIp !== "string") {
    reads.push({ output: names.assignPublicIp.output, field: "database.aws.assignPublicIp.output", holds: "ENABLED for public subnets, DISABLED for private ones" });
  }
  return reads;
}
