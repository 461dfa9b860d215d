// Level 2 (moto over HTTP): the DB deploy's migration task on a first deploy (migrateNewStack in
// src/actions/db-deploy/region.ts, runMigrationTask in src/aws/ecs/migration-task.ts): where it runs is
// read from the stack's outputs, then RunTask and DescribeTasks until STOPPED, with the real
// CloudFormation and ECS SDK clients against moto_server 5.2.1 (test/support/moto.ts). The stack
// (VPC, subnet, security group, cluster, task definition) is made with CreateStack, since moto
// leaves a stack made through a change set without Outputs. moto is an emulator, not AWS.
//
// Not served by moto 5.2.1 (found by a failed attempt here; covered on aws-sdk-client-mock in
// test/aws/ecs/migration-task.test.ts and test/stages/aws-environment/db-deploy.test.ts, level 3):
// - a task that fails: moto's containers always exit 0, and a task reaches STOPPED only by being
//   described (RUNNING, DEACTIVATING, STOPPING, DEPROVISIONING, STOPPED, one step per DescribeTasks);
// - the task's network settings: a task definition made through CloudFormation loses NetworkMode
//   awsvpc (moto answers "bridge"), so DescribeTasks has no ENI attachment; the network test below
//   reads subnets, security groups and assignPublicIp from the RunTask request as the SDK
//   serialised it onto the wire to moto (pinned there);
// - a task definition without container-level `memory`: RunTask answers HTTP 500 (pinned below);
// (The migration before the software deploy on an existing stack, migrateBeforeDeploy, is served
// since findChangeSet reads moto's answer for a missing change set as not found; tested below.)
import { CloudFormationClient, CreateStackCommand } from "@aws-sdk/client-cloudformation";
import { DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient } from "@aws-sdk/client-ecs";
import { beforeEach, expect, it } from "vitest";
import { stackOutputs } from "../../../src/aws/cloudformation/outputs.js";
import { describeStack } from "../../../src/aws/cloudformation/stack.js";
import { migrateBeforeDeploy, migrateNewStack, type RegionDbDeployRequest } from "../../../src/actions/db-deploy/region.js";
import { MigrationTaskError, runMigrationTask } from "../../../src/aws/ecs/migration-task.js";
import { migrationTargetFrom } from "../../../src/actions/db-deploy/task-target.js";
import { DatabaseAwsConfig } from "../../../src/config/sections/database.js";
import { AwsEnvironment } from "../../../src/config/sections/environments.js";
import { MOTO_ACCOUNT, MOTO_REGION, motoClientConfig, resolveMoto, useMoto } from "../../support/moto.js";
import { describeReal } from "../../support/real.js";

const STACK = "moto-app";
const MIGRATION_IMAGE = `${MOTO_ACCOUNT}.dkr.ecr.${MOTO_REGION}.amazonaws.com/moto-app@sha256:${"d".repeat(64)}`;

/** The example's shape in small: a migration task definition and its network, named by the default outputs. */
const TEMPLATE = `Parameters:
  MigrationImageUri:
    Type: String
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.2.0/24
  TaskSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: migration task
      VpcId: !Ref Vpc
  Cluster:
    Type: AWS::ECS::Cluster
  MigrationTask:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: moto-app-migrate
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: "512"
      ContainerDefinitions:
        - Name: migrate
          Image: !Ref MigrationImageUri
          Memory: 512
          Essential: true
          LogConfiguration:
            LogDriver: awslogs
            Options:
              awslogs-group: /ecs/moto-app
              awslogs-region: ${MOTO_REGION}
              awslogs-stream-prefix: migrate
Outputs:
  MigrationTaskDefinitionArn:
    Value: !Ref MigrationTask
  ClusterName:
    Value: !Ref Cluster
  MigrationSubnetIds:
    Value: !Join [",", [!Ref SubnetA, !Ref SubnetB]]
  MigrationSecurityGroupId:
    Value: !GetAtt TaskSecurityGroup.GroupId
  MigrationAssignPublicIp:
    Value: ENABLED
`;

/** The JSON bodies of the RunTask requests this client sent, as serialised for the wire. */
function recordRunTaskBodies(client: ECSClient): Array<Record<string, unknown>> {
  const bodies: Array<Record<string, unknown>> = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string>; body?: unknown };
      const target = Object.entries(request.headers ?? {}).find(([name]) => name.toLowerCase() === "x-amz-target")?.[1];
      // The SDK hands the transport the JSON as a string or as its UTF-8 bytes.
      const body = request.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : request.body;
      if (target?.endsWith(".RunTask") && typeof body === "string") bodies.push(JSON.parse(body) as Record<string, unknown>);
      return next(args);
    },
    { step: "finalizeRequest", name: "recordRunTaskBodies" },
  );
  return bodies;
}

describeReal(
  "moto",
  () => {
    const moto = useMoto();
    let cloudFormation: CloudFormationClient;
    let ecs: ECSClient;
    let lines: string[];
    beforeEach(() => {
      cloudFormation = new CloudFormationClient(motoClientConfig(moto()));
      ecs = new ECSClient(motoClientConfig(moto()));
      lines = [];
    });
    const names = DatabaseAwsConfig.parse({});
    const env = AwsEnvironment.parse({ account: MOTO_ACCOUNT, roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/dpra-deploy`, stackName: STACK, region: MOTO_REGION });
    const request = (over: Partial<RegionDbDeployRequest> = {}): RegionDbDeployRequest => ({
      envName: "gamma",
      env,
      region: MOTO_REGION,
      cloudFormation,
      ecs,
      tool: "dbmate",
      names,
      reference: MIGRATION_IMAGE,
      runId: "run-1",
      templateBody: TEMPLATE,
      log: (l) => lines.push(l),
      pollMs: 50,
      ...over,
    });
    const createStack = (templateBody = TEMPLATE) =>
      cloudFormation.send(
        new CreateStackCommand({ StackName: STACK, TemplateBody: templateBody, Parameters: [{ ParameterKey: "MigrationImageUri", ParameterValue: MIGRATION_IMAGE }] }),
      );
    const outputs = async () => Object.fromEntries(stackOutputs(await describeStack(cloudFormation, STACK)).map((o) => [o.key, o.value]));

    it("after a first deploy, runs the migration task where the stack's outputs say, waits for STOPPED, and reports it migrated", async () => {
      await createStack();
      const target = migrationTargetFrom(await outputs(), names, { stack: STACK, region: MOTO_REGION });
      expect(target.taskDefinition).toBe(`arn:aws:ecs:${MOTO_REGION}:${MOTO_ACCOUNT}:task-definition/moto-app-migrate:1`);
      expect(target.subnets).toHaveLength(2);
      expect(target.securityGroups[0]).toMatch(/^sg-/);

      const report = await migrateNewStack(request());
      expect(report.status).toBe("migrated");
      const taskArn = report.taskArn ?? "";
      expect(taskArn).toMatch(new RegExp(`^arn:aws:ecs:${MOTO_REGION}:${MOTO_ACCOUNT}:task/${target.cluster}/[0-9a-f-]{36}$`));
      const taskId = taskArn.split("/").pop();
      expect(report.logs).toEqual({ group: "/ecs/moto-app", stream: `migrate/migrate/${taskId}` });
      expect(report.summary).toBe(`first deploy, after the stack was created: migration task ${taskArn} exited 0`);
      expect(lines.filter((l) => l.includes("migration task: ")).map((l) => l.split("migration task: ")[1])).toEqual(["DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED"]);

      const [task] = (await ecs.send(new DescribeTasksCommand({ cluster: target.cluster, tasks: [taskArn] }))).tasks ?? [];
      expect(task).toMatchObject({ launchType: "FARGATE", startedBy: "dpra-gamma-migrate", taskDefinitionArn: target.taskDefinition, lastStatus: "STOPPED" });
      expect(task?.containers?.map((c) => [c.name, c.image, c.exitCode])).toEqual([["migrate", MIGRATION_IMAGE, 0]]);
    });

    it("RunTask carries the configured network: assignPublicIp and subnets from named outputs, then literal subnets and DISABLED from dpra.yaml", async () => {
      await createStack();
      const bodies = recordRunTaskBodies(ecs);
      const fromOutputs = DatabaseAwsConfig.parse({ assignPublicIp: { output: "MigrationAssignPublicIp" } });
      const stackOutputsNow = await outputs();
      const [subnetA, subnetB] = stackOutputsNow["MigrationSubnetIds"]!.split(",");
      const securityGroup = stackOutputsNow["MigrationSecurityGroupId"]!;
      expect([subnetA, subnetB, securityGroup]).toEqual([expect.stringMatching(/^subnet-/), expect.stringMatching(/^subnet-/), expect.stringMatching(/^sg-/)]);

      const first = await migrateNewStack(request({ names: fromOutputs }));
      expect(bodies[0]?.["networkConfiguration"]).toEqual({ awsvpcConfiguration: { subnets: [subnetA, subnetB], securityGroups: [securityGroup], assignPublicIp: "ENABLED" } });
      const literal = DatabaseAwsConfig.parse({ subnets: [subnetB], securityGroups: [securityGroup], assignPublicIp: "DISABLED" });
      await migrateNewStack(request({ names: literal }));
      expect(bodies[1]?.["networkConfiguration"]).toEqual({ awsvpcConfiguration: { subnets: [subnetB], securityGroups: [securityGroup], assignPublicIp: "DISABLED" } });

      // moto gap (why the request is read): a task definition made through CloudFormation loses its
      // NetworkMode (moto answers "bridge"), so moto makes no ENI and DescribeTasks has no attachment.
      const [task] = (await ecs.send(new DescribeTasksCommand({ cluster: stackOutputsNow["ClusterName"]!, tasks: [first.taskArn ?? ""] }))).tasks ?? [];
      expect(task?.attachments).toEqual([]);
      const definition = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: task?.taskDefinitionArn ?? "" }));
      expect(definition.taskDefinition?.networkMode).toBe("bridge");
      expect(bodies).toHaveLength(2);
    });

    it("moto gap: a task definition without container-level memory makes RunTask answer HTTP 500", async () => {
      await createStack(TEMPLATE.replace("          Memory: 512\n", ""));
      const target = migrationTargetFrom(await outputs(), names, { stack: STACK, region: MOTO_REGION });
      const attempt = runMigrationTask({
        client: ecs,
        region: MOTO_REGION,
        target,
        role: env.roleArn,
        timeoutMs: 10_000,
        pollMs: 50,
        log: (l) => lines.push(l),
        retry: { sleep: async () => {} },
      });
      const error = await attempt.then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error).not.toBeInstanceOf(MigrationTaskError);
      expect(error?.message).toContain(`ecs:RunTask on ${target.taskDefinition} kept failing after retries`);
    });

    it("before the software deploy on an existing stack: sets MigrationImageUri with a parameter-only change set, then runs the migration task", async () => {
      await createStack();
      const next = MIGRATION_IMAGE.replace("d".repeat(64), "e".repeat(64));
      const report = await migrateBeforeDeploy(request({ reference: next }));
      expect(report.status).toBe("migrated");
      expect(report.summary).toMatch(
        new RegExp(`^MigrationImageUri set to ${next.replace(/[.]/g, "\\.")}; migration task arn:aws:ecs:${MOTO_REGION}:${MOTO_ACCOUNT}:task/.* exited 0$`),
      );
      expect((await describeStack(cloudFormation, STACK))?.Parameters).toContainEqual({ ParameterKey: "MigrationImageUri", ParameterValue: next });
      expect(lines).toContain(`[${MOTO_REGION} ${STACK}] executing change set dpra-run-1-migrate`);
    });
  },
  resolveMoto,
);
