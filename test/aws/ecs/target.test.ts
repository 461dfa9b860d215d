// Where the migration task runs: from the stack outputs named in dpra.yaml, with messages that say
// what the template must add.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { migrationTargetFrom, namesMissingFromTemplate } from "../../../src/aws/ecs/target.js";
import { DatabaseAwsConfig } from "../../../src/config/sections/database.js";
import { repoRoot } from "../../support/fixtures.js";

const names = DatabaseAwsConfig.parse({});
const where = { stack: "fruit-api-gamma", region: "eu-west-1" };

describe("migration task target", () => {
  it("has defaults that match the example template's parameter and outputs", () => {
    expect(names).toEqual({
      migrationImageParameter: "MigrationImageUri",
      taskDefinitionOutput: "MigrationTaskDefinitionArn",
      clusterOutput: "ClusterName",
      subnetsOutput: "MigrationSubnetIds",
      securityGroupOutput: "MigrationSecurityGroupId",
      timeoutMinutes: 15,
    });
    const template = readFileSync(path.join(repoRoot, "examples", "fruit-api", "infra", "template.yaml"), "utf8");
    expect(namesMissingFromTemplate(template, names)).toEqual([]);
  });

  it("reads cluster, task definition, subnets (comma-separated) and security group from the outputs", () => {
    const outputs = {
      ClusterName: "fruit-api-gamma-Cluster-abc",
      MigrationTaskDefinitionArn: "arn:aws:ecs:eu-west-1:222222222222:task-definition/fruit-api-gamma-migrate:3",
      MigrationSubnetIds: "subnet-a, subnet-b",
      MigrationSecurityGroupId: "sg-1",
    };
    expect(migrationTargetFrom(outputs, names, where)).toEqual({
      cluster: "fruit-api-gamma-Cluster-abc",
      taskDefinition: "arn:aws:ecs:eu-west-1:222222222222:task-definition/fruit-api-gamma-migrate:3",
      subnets: ["subnet-a", "subnet-b"],
      securityGroups: ["sg-1"],
    });
  });

  it("names each missing output and what to add to the template", () => {
    expect(() => migrationTargetFrom({ ClusterName: "c", MigrationSubnetIds: "subnet-a" }, names, where)).toThrow(
      /^stack fruit-api-gamma in eu-west-1 has no output MigrationTaskDefinitionArn, MigrationSecurityGroupId: .*Add to the template's Outputs: MigrationTaskDefinitionArn \(the ARN of the migration task definition.*MigrationSecurityGroupId \(a security group allowed to reach the database\).*database\.aws/,
    );
  });

  it("uses the names dpra.yaml gives", () => {
    const custom = DatabaseAwsConfig.parse({ clusterOutput: "EcsCluster", migrationImageParameter: "MigrateImage" });
    const template = "Parameters:\n  MigrateImage:\n    Type: String\nOutputs:\n  EcsCluster:\n    Value: x\n";
    expect(namesMissingFromTemplate(template, custom)).toEqual(["MigrationTaskDefinitionArn", "MigrationSubnetIds", "MigrationSecurityGroupId"]);
    expect(() => DatabaseAwsConfig.parse({ clusterOutput: "Ecs-Cluster" })).toThrow(/CloudFormation parameter or output name/);
  });
});
