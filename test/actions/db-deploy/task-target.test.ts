// Level 4 (fixture unit test): where the migration task runs. The cluster and task definition come
// from the stack outputs named in dpra.yaml; the network (subnets, security groups, public IP) is
// each either written in dpra.yaml or read from a named output; messages say what to add or fix.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { migrationTargetFrom, namesMissingFromTemplate } from "../../../src/actions/db-deploy/task-target.js";
import { migrationOutputsRead } from "../../../src/config/migration-outputs.js";
import { parseConfig } from "../../../src/config/load.js";
import { DatabaseAwsConfig } from "../../../src/config/sections/database.js";
import { repoRoot } from "../../support/fixtures.js";

const names = DatabaseAwsConfig.parse({});
const where = { stack: "fruit-api-gamma", region: "eu-west-1" };
const outputs = {
  ClusterName: "fruit-api-gamma-Cluster-abc",
  MigrationTaskDefinitionArn: "arn:aws:ecs:eu-west-1:222222222222:task-definition/fruit-api-gamma-migrate:3",
  MigrationSubnetIds: "subnet-0a0a0a0a, subnet-0b0b0b0b",
  MigrationSecurityGroupId: "sg-01010101",
};
const example = path.join(repoRoot, "examples", "fruit-api");

describe("migration task target", () => {
  it("has defaults that match the example template's parameter and outputs, and no public IP unless configured", () => {
    expect(names).toEqual({
      migrationImageParameter: "MigrationImageUri",
      taskDefinitionOutput: "MigrationTaskDefinitionArn",
      clusterOutput: "ClusterName",
      subnets: { output: "MigrationSubnetIds" },
      securityGroups: { output: "MigrationSecurityGroupId" },
      assignPublicIp: "DISABLED",
      timeoutMinutes: 15,
    });
    const template = readFileSync(path.join(example, "infra", "template.yaml"), "utf8");
    expect(namesMissingFromTemplate(template, names)).toEqual([]);
  });

  it("reads cluster, task definition, subnets (comma-separated) and security group from the outputs", () => {
    expect(migrationTargetFrom(outputs, names, where)).toEqual({
      cluster: "fruit-api-gamma-Cluster-abc",
      taskDefinition: "arn:aws:ecs:eu-west-1:222222222222:task-definition/fruit-api-gamma-migrate:3",
      subnets: ["subnet-0a0a0a0a", "subnet-0b0b0b0b"],
      securityGroups: ["sg-01010101"],
      assignPublicIp: "DISABLED",
    });
  });

  it("takes literal subnets, security groups and public IP from dpra.yaml, and then reads no network output", () => {
    const literal = DatabaseAwsConfig.parse({ subnets: ["subnet-0c0c0c0c"], securityGroups: ["sg-02020202", "sg-03030303"], assignPublicIp: "ENABLED" });
    const { MigrationSubnetIds: _s, MigrationSecurityGroupId: _g, ...clusterOnly } = outputs;
    expect(migrationTargetFrom(clusterOnly, literal, where)).toMatchObject({
      subnets: ["subnet-0c0c0c0c"],
      securityGroups: ["sg-02020202", "sg-03030303"],
      assignPublicIp: "ENABLED",
    });
    expect(migrationOutputsRead(literal).map((r) => r.output)).toEqual(["MigrationTaskDefinitionArn", "ClusterName"]);
  });

  it("reads assignPublicIp from a named output and refuses a value other than ENABLED or DISABLED, naming output and field", () => {
    const fromOutput = DatabaseAwsConfig.parse({ assignPublicIp: { output: "TaskPublicIp" } });
    expect(migrationTargetFrom({ ...outputs, TaskPublicIp: " ENABLED " }, fromOutput, where).assignPublicIp).toBe("ENABLED");
    expect(migrationTargetFrom({ ...outputs, TaskPublicIp: "DISABLED" }, fromOutput, where).assignPublicIp).toBe("DISABLED");
    expect(() => migrationTargetFrom({ ...outputs, TaskPublicIp: "true" }, fromOutput, where)).toThrow(
      'stack fruit-api-gamma in eu-west-1: output TaskPublicIp, read by dpra.yaml database.aws.assignPublicIp, is "true" but must be ENABLED or DISABLED',
    );
    expect(() => migrationTargetFrom(outputs, fromOutput, where)).toThrow(/has no output TaskPublicIp: .*TaskPublicIp \(ENABLED for public subnets, DISABLED for private ones\)/);
  });

  it("the example gives the migration task a public IP in its public subnets, from the template's output", () => {
    const config = parseConfig(readFileSync(path.join(example, "dpra.yaml"), "utf8"), "examples/fruit-api/dpra.yaml");
    const db = config.database?.aws;
    expect(db).toBeDefined();
    const target = migrationTargetFrom({ ...outputs, MigrationAssignPublicIp: "ENABLED" }, db!, where);
    expect(target.assignPublicIp).toBe("ENABLED");
    const template = readFileSync(path.join(example, "infra", "template.yaml"), "utf8");
    expect(template).toMatch(/ {2}MigrationAssignPublicIp:\n(?: {4}.*\n)*? {4}Value: ENABLED\n/);
    expect(template).toMatch(/ {2}MigrationSubnetIds:\n(?: {4}.*\n)*? {4}Value: !Join \[",", \[!Ref PublicSubnetA, !Ref PublicSubnetB\]\]\n/);
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

describe("database.aws network settings in dpra.yaml", () => {
  const issues = (value: unknown) => {
    const r = DatabaseAwsConfig.safeParse(value);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };
  it("accepts a list of IDs or { output } for subnets and security groups, and ENABLED, DISABLED or { output } for the public IP", () => {
    expect(issues({ subnets: ["subnet-0123456789abcdef0"], securityGroups: { output: "Sg" }, assignPublicIp: { output: "PublicIp" } })).toEqual([]);
    expect(issues({ subnets: { output: "Subnets" }, securityGroups: ["sg-0123456789abcdef0"], assignPublicIp: "ENABLED" })).toEqual([]);
  });
  it("names the field of each wrong value", () => {
    expect(issues({ subnets: ["subnet-1"] })).toEqual(['subnets.0: expected a subnet ID, e.g. "subnet-0123456789abcdef0"']);
    expect(issues({ subnets: [] })).toEqual(["subnets: expected at least one subnet ID"]);
    expect(issues({ subnets: "subnet-0123456789abcdef0" })).toEqual(["subnets: expected a list of subnet IDs or { output: <stack output name> }"]);
    expect(issues({ securityGroups: ["group"] })).toEqual(['securityGroups.0: expected a security group ID, e.g. "sg-0123456789abcdef0"']);
    expect(issues({ securityGroups: { output: "a-b" } })).toEqual(["securityGroups.output: expected a CloudFormation parameter or output name (letters and digits)"]);
    expect(issues({ assignPublicIp: "yes" })).toEqual(["assignPublicIp: expected ENABLED, DISABLED or { output: <stack output name> }"]);
    expect(issues({ assignPublicIp: true })).toEqual(["assignPublicIp: expected ENABLED, DISABLED or { output: <stack output name> }"]);
  });
});
