// The DB deploy of release --env gamma / prod against the mocked AWS world: CloudFormation and
// CloudWatch simulated per region, ECS simulated for the migration task, Synthetics mocked, fake timers.
import { describe, expect, it, vi } from "vitest";
import type { CredentialSecrets } from "../../../src/inputs/credentials.dagger.js";
import { release, type ReleaseInput } from "../../../src/release/release.dagger.js";
import { drive, type RecordedCall, type RegionScenario } from "../../support/fake-aws.js";
import type { EcsScenario } from "../../support/fake-ecs.js";
import { BLUE_GREEN_SERVICE } from "../../support/stack-templates.js";
import {
  CI_APPROVAL,
  FakeWorld,
  FILES,
  KEY_ID,
  mockCanary,
  OLD_REF,
  passingBeta,
  passingBuild,
  REF,
  SECRET_KEY,
  sourceOf,
  stackScenario,
  releaseSdkMocks,
  YAML,
} from "../../support/release.js";

const { synthetics } = releaseSdkMocks();

const DB_TEMPLATE = `Parameters:
  ImageUri:
    Type: String
  MigrationImageUri:
    Type: String
    Default: ""
Resources:
${BLUE_GREEN_SERVICE}Outputs:
  ApiEndpoint:
    Value: https://fruit.example.com
  MigrationTaskDefinitionArn:
    Value: x
  ClusterName:
    Value: x
  MigrationSubnetIds:
    Value: x
  MigrationSecurityGroupId:
    Value: x
`;

const keys = (): CredentialSecrets =>
  ({ awsAccessKeyId: { plaintext: async () => KEY_ID }, awsSecretAccessKey: { plaintext: async () => SECRET_KEY } }) as unknown as CredentialSecrets;

function files(database = "database: { tool: dbmate }\n") {
  return { ...FILES, "dpra.yaml": YAML + database, "infra/template.yaml": DB_TEMPLATE };
}

function input(world: FakeWorld, over: Partial<ReleaseInput>): ReleaseInput {
  return {
    source: sourceOf(files()),
    env: "gamma",
    build: passingBuild(),
    failOnError: false,
    stages: { beta: passingBeta },
    aws: { secrets: keys(), world, publisher: async () => REF },
    runId: "run-db",
    ...over,
  };
}

/** Migration outputs: the task definition gets a new revision with every update of the stack. */
const migrationOutputs = (region: string, revision: number) => [
  { OutputKey: "ApiEndpoint", OutputValue: `https://${region}.fruit.example.com` },
  { OutputKey: "MigrationTaskDefinitionArn", OutputValue: `arn:aws:ecs:${region}:222222222222:task-definition/fruit-api-migrate:${revision}` },
  { OutputKey: "ClusterName", OutputValue: "fruit-api-cluster" },
  { OutputKey: "MigrationSubnetIds", OutputValue: "subnet-a,subnet-b" },
  { OutputKey: "MigrationSecurityGroupId", OutputValue: "sg-migrate" },
];

function dbStack(region: string, image: string, over: Partial<RegionScenario> = {}): RegionScenario {
  const base = stackScenario(region, image);
  return {
    ...base,
    stack: {
      status: "UPDATE_COMPLETE",
      parameters: [
        { ParameterKey: "ImageUri", ParameterValue: image },
        { ParameterKey: "MigrationImageUri", ParameterValue: "" },
      ],
      outputs: migrationOutputs(region, 1),
    },
    outputsAfter: migrationOutputs(region, 2),
    ...over,
  };
}

function world(opts: { gamma?: RegionScenario | "absent"; ecs?: EcsScenario; prodEcs?: EcsScenario } = {}): FakeWorld {
  const w = new FakeWorld();
  const gamma =
    opts.gamma === "absent"
      ? { outputsAfter: migrationOutputs("eu-west-1", 1), alarms: { "fruit-api-5xx": [{ at: 0, state: "OK" as const }] } }
      : (opts.gamma ?? dbStack("eu-west-1", OLD_REF));
  w.add("gamma", "eu-west-1", "fruit-api-gamma", gamma);
  w.addEcs("gamma", "eu-west-1", opts.ecs ?? { exitCode: 0, logs: { group: "/ecs/fruit-api-gamma", prefix: "migrate" } });
  for (const region of ["eu-west-1", "us-east-1", "us-west-2"]) {
    w.add("prod", region, "fruit-api-prod", dbStack(region, OLD_REF));
    w.addEcs("prod", region, opts.prodEcs ?? { exitCode: 0 });
  }
  // An earlier Gamma passed on REF: the prod-only releases below may promote it.
  w.gammaVerdicts.seed(REF, "passed");
  return w;
}

type Params = Array<{ ParameterKey: string; ParameterValue?: string; UsePreviousValue?: boolean }>;
const params = (c: RecordedCall) => Object.fromEntries((c.input.Parameters as Params).map((p) => [p.ParameterKey, p.UsePreviousValue ? "(previous)" : p.ParameterValue]));

/** The calls that change something or run the task, in order, with what they carried. */
function story(calls: RecordedCall[]): string[] {
  return calls
    .flatMap((c) => {
      if (c.command === "CreateChangeSet") {
        const p = params(c);
        return [
          `CreateChangeSet ${c.input.UsePreviousTemplate ? "previous template" : "new template"} ImageUri=${short(p.ImageUri)} MigrationImageUri=${short(p.MigrationImageUri)}`,
        ];
      }
      if (c.command === "ExecuteChangeSet") return ["ExecuteChangeSet"];
      if (c.command === "RunTask") return [`RunTask ${String(c.input.taskDefinition).split("/").pop()}`];
      if (c.command === "DescribeTasks") return ["DescribeTasks"];
      return [];
    })
    .filter((line, i, all) => line !== "DescribeTasks" || all[i - 1] !== "DescribeTasks");
}
const short = (v: string | undefined) => (v === undefined ? "unset" : v === REF ? "new" : v === OLD_REF ? "old" : v);

describe("release --env gamma with a database (mocked AWS)", () => {
  it("sets only the migration image, runs the migration task in the VPC, then deploys the software", async () => {
    const w = world();
    mockCanary(synthetics, () => "PASSED");
    const result = await drive(release(input(w, {})), vi, 1000);
    expect(result.failure).toBe("");
    expect(result.verdict).toBe("passed");
    const fake = w.get("gamma", "eu-west-1");
    expect(story(fake.calls)).toEqual([
      "CreateChangeSet previous template ImageUri=(previous) MigrationImageUri=new",
      "ExecuteChangeSet",
      "RunTask fruit-api-migrate:2",
      "DescribeTasks",
      "CreateChangeSet new template ImageUri=new MigrationImageUri=new",
      "ExecuteChangeSet",
    ]);
    // The running service was untouched while migrating: ImageUri stayed the old image until the software deploy.
    const migrateSet = fake.callsOf("CreateChangeSet")[0]!;
    expect(migrateSet.input.TemplateBody).toBeUndefined();
    expect(String(migrateSet.input.ChangeSetName)).toMatch(/-migrate$/);
    const run = fake.calls.find((c) => c.command === "RunTask")!;
    expect(run.input).toMatchObject({
      cluster: "fruit-api-cluster",
      launchType: "FARGATE",
      networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-a", "subnet-b"], securityGroups: ["sg-migrate"], assignPublicIp: "DISABLED" } },
    });
    expect(fake.stack?.Parameters.find((p) => p.ParameterKey === "ImageUri")?.ParameterValue).toBe(REF);
    const gamma = result.stages.find((s) => s.id === "gamma")!;
    const db = gamma.actions.find((a) => a.name === "db-deploy")!;
    expect(db.status).toBe("succeeded");
    expect(db.summary).toMatch(
      /db deploy: eu-west-1: MigrationImageUri set to .*@sha256:a{64}; migration task arn:aws:ecs:eu-west-1:222222222222:task\/fruit-api-cluster\/\S+ exited 0/,
    );
    expect(gamma.actions.find((a) => a.name === "deploy-software")!.status).toBe("succeeded");
    // ECS was called with Gamma's role, like CloudFormation.
    expect(w.credentialsSeen.filter((c) => c.region === "eu-west-1" && c.env === "gamma")).toHaveLength(2);
    const logged = vi.mocked(console.log).mock.calls.flat().join("\n");
    for (const s of [KEY_ID, SECRET_KEY]) expect(JSON.stringify(result) + logged).not.toContain(s);
  });

  it("a migration that exits 1 fails the DB deploy naming the task, the exit code and the log stream; the software is never deployed", async () => {
    const w = world({ ecs: { exitCode: 1, containerReason: "dbmate: Error: pq: syntax error", logs: { group: "/ecs/fruit-api-gamma", prefix: "migrate" } } });
    const ran = mockCanary(synthetics, () => "PASSED");
    const result = await drive(release(input(w, {})), vi, 1000);
    expect(result.verdict).toBe("failed");
    expect(result.failure).toMatch(
      /^gamma\.db-deploy failed: db deploy: failed migration task arn:aws:ecs:eu-west-1:222222222222:task\/fruit-api-cluster\/(\S+) in eu-west-1 failed: container migrate: exit code 1, reason: dbmate: Error: pq: syntax error;.* logs: CloudWatch log group \/ecs\/fruit-api-gamma, stream migrate\/migrate\/\1\./,
    );
    const fake = w.get("gamma", "eu-west-1");
    // Only the migration change set was executed: the service still runs the old image.
    expect(fake.callsOf("ExecuteChangeSet")).toHaveLength(1);
    expect(fake.callsOf("CreateChangeSet")).toHaveLength(1);
    expect(fake.stack?.Parameters.find((p) => p.ParameterKey === "ImageUri")?.ParameterValue).toBe(OLD_REF);
    expect(ran).toEqual([]);
    const gamma = result.stages.find((s) => s.id === "gamma")!;
    expect(gamma.actions.find((a) => a.name === "deploy-software")!.status).toBe("cancelled");
  });

  it("first deploy: the stack is created with the new image, then the migration task runs, then the bake and the canary", async () => {
    const w = world({ gamma: "absent" });
    const ran = mockCanary(synthetics, () => "PASSED");
    const result = await drive(release(input(w, {})), vi, 1000);
    expect(result.failure).toBe("");
    const fake = w.get("gamma", "eu-west-1");
    expect(story(fake.calls)).toEqual(["CreateChangeSet new template ImageUri=new MigrationImageUri=new", "ExecuteChangeSet", "RunTask fruit-api-migrate:1", "DescribeTasks"]);
    // The bake watched the alarms only after the migration.
    const runAt = fake.calls.find((c) => c.command === "RunTask")!.at;
    const stoppedAt = fake.callsOf("DescribeTasks").at(-1)!.at;
    expect(fake.callsOf("DescribeAlarms").filter((c) => c.at > stoppedAt).length).toBeGreaterThan(50);
    expect(fake.callsOf("DescribeAlarms").filter((c) => c.at > runAt && c.at < stoppedAt)).toEqual([]);
    expect(ran).toEqual(["eu-west-1"]);
    const db = result.stages.find((s) => s.id === "gamma")!.actions.find((a) => a.name === "db-deploy")!;
    expect(db.summary).toMatch(
      /stack fruit-api-gamma does not exist yet: migrations run after it is created.*first deploy, after the stack was created: migration task \S+ exited 0/,
    );
  });

  it("first deploy with a failing migration: the stack exists, the DB deploy is the failure, no bake and no canary", async () => {
    const w = world({ gamma: "absent", ecs: { exitCode: 2, logs: { group: "/ecs/fruit-api-gamma", prefix: "migrate" } } });
    const ran = mockCanary(synthetics, () => "PASSED");
    const result = await drive(release(input(w, {})), vi, 1000);
    expect(result.failure).toMatch(/^gamma\.db-deploy failed: db deploy \(eu-west-1\): failed migration task \S+ in eu-west-1 failed: container migrate: exit code 2/);
    const gamma = result.stages.find((s) => s.id === "gamma")!;
    expect(gamma.actions.find((a) => a.name === "launch-env")!.summary).toBe("stack created; the DB deploy into it failed (see db-deploy)");
    expect(gamma.actions.find((a) => a.name === "deploy-software")!.status).toBe("cancelled");
    const fake = w.get("gamma", "eu-west-1");
    const stoppedAt = fake.callsOf("DescribeTasks").at(-1)!.at;
    expect(fake.callsOf("DescribeAlarms").filter((c) => c.at > stoppedAt)).toEqual([]);
    expect(ran).toEqual([]);
  });

  it("a stack without the migration outputs fails with a message naming them, before changing anything", async () => {
    const w = world({
      gamma: dbStack("eu-west-1", OLD_REF, {
        stack: {
          status: "UPDATE_COMPLETE",
          parameters: [
            { ParameterKey: "ImageUri", ParameterValue: OLD_REF },
            { ParameterKey: "MigrationImageUri", ParameterValue: "" },
          ],
          outputs: [],
        },
      }),
    });
    mockCanary(synthetics, () => "PASSED");
    const result = await drive(release(input(w, {})), vi, 1000);
    expect(result.failure).toMatch(
      /^gamma\.db-deploy failed: .*stack fruit-api-gamma in eu-west-1 has no output MigrationTaskDefinitionArn, ClusterName, MigrationSubnetIds, MigrationSecurityGroupId: .*Add to the template's Outputs/,
    );
    expect(w.get("gamma", "eu-west-1").callsOf("CreateChangeSet")).toEqual([]);
  });
});

describe("release --env prod with a database (mocked AWS)", () => {
  it("without an approval, no migration task runs anywhere", async () => {
    const w = world({ gamma: dbStack("eu-west-1", REF) });
    mockCanary(synthetics, () => "PASSED");
    const result = await drive(release(input(w, { env: "prod", digest: REF })), vi, 1000);
    expect(result.failure).toMatch(/^prod\.approval failed: prod needs an approval/);
    for (const region of ["eu-west-1", "us-east-1", "us-west-2"]) {
      expect(w.get("prod", region).calls.filter((c) => c.service === "ecs")).toEqual([]);
      expect(w.get("prod", region).callsOf("ExecuteChangeSet")).toEqual([]);
    }
  });

  it("after the approval, each wave migrates its regions before its software deploy; waves in order", async () => {
    const w = world({ gamma: dbStack("eu-west-1", REF) });
    mockCanary(synthetics, () => "PASSED");
    const result = await drive(release(input(w, { env: "prod", digest: REF, approval: CI_APPROVAL })), vi, 1000);
    expect(result.failure).toBe("");
    expect(result.verdict).toBe("passed");
    const firstEvent = (region: string, command: string) => w.get("prod", region).calls.find((c) => c.command === command)!.at;
    for (const region of ["eu-west-1", "us-east-1", "us-west-2"]) {
      const s = story(w.get("prod", region).calls);
      // The approval report's change set (not executed), then the migration, then the software.
      expect(s.slice(0, 1)).toEqual(["CreateChangeSet new template ImageUri=new MigrationImageUri=new"]);
      expect(s.slice(1)).toEqual([
        "CreateChangeSet previous template ImageUri=(previous) MigrationImageUri=new",
        "ExecuteChangeSet",
        "RunTask fruit-api-migrate:2",
        "DescribeTasks",
        "CreateChangeSet new template ImageUri=new MigrationImageUri=new",
        "ExecuteChangeSet",
      ]);
    }
    // Wave 2 migrates only after wave 1 deployed and baked.
    expect(firstEvent("us-east-1", "RunTask")).toBeGreaterThan(w.get("prod", "eu-west-1").callsOf("ExecuteChangeSet")[1]!.at);
    expect(firstEvent("us-west-2", "RunTask")).toBeGreaterThan(w.get("prod", "us-east-1").callsOf("ExecuteChangeSet")[1]!.at);
    const prod = result.stages.find((s) => s.id === "prod")!;
    expect(prod.actions.map((a) => [a.name, a.status])).toEqual([
      ["approval", "succeeded"],
      ["db-deploy", "succeeded"],
      ["progressive-deployment", "succeeded"],
      ["synthetic-tests", "succeeded"],
    ]);
    expect(prod.actions.find((a) => a.name === "db-deploy")!.summary).toMatch(
      /wave first: db deploy: eu-west-1: .*; wave second: db deploy: us-east-1: .*; wave rest: db deploy: us-west-2: /,
    );
  });

  it("a failed migration in wave 2 stops the rollout: wave 2's software is not deployed, wave 1 is rolled back, wave 3 untouched", async () => {
    const w = world({ gamma: dbStack("eu-west-1", REF) });
    w.addEcs("prod", "us-east-1", { exitCode: 3 });
    mockCanary(synthetics, () => "PASSED");
    const result = await drive(release(input(w, { env: "prod", digest: REF, approval: CI_APPROVAL })), vi, 1000);
    expect(result.verdict).toBe("failed");
    expect(result.failure).toMatch(/^prod\.db-deploy failed: wave second: db deploy: failed us-east-1: migration task \S+ in us-east-1 failed: container migrate: exit code 3/);
    expect(result.markdown).toMatch(/rollback: \*\*ok\*\* rolled back eu-west-1: the DB deploy of wave second failed/);
    const east = w.get("prod", "us-east-1");
    expect(east.stack?.Parameters.find((p) => p.ParameterKey === "ImageUri")?.ParameterValue).toBe(OLD_REF);
    expect(east.callsOf("ExecuteChangeSet")).toHaveLength(1);
    expect(w.get("prod", "eu-west-1").stack?.Parameters.find((p) => p.ParameterKey === "ImageUri")?.ParameterValue).toBe(OLD_REF);
    expect(w.get("prod", "us-west-2").calls.filter((c) => c.service === "ecs")).toEqual([]);
    expect(w.get("prod", "us-west-2").callsOf("ExecuteChangeSet")).toEqual([]);
  });

  it("a region without a stack (first deploy in wave 3) gets its stack first, then the migration, before its bake and canary", async () => {
    const w = world({ gamma: dbStack("eu-west-1", REF) });
    w.add("prod", "us-west-2", "fruit-api-prod", { outputsAfter: migrationOutputs("us-west-2", 1), alarms: { "fruit-api-5xx": [{ at: 0, state: "OK" }] } });
    w.addEcs("prod", "us-west-2", { exitCode: 0 });
    const ran = mockCanary(synthetics, () => "PASSED");
    const result = await drive(release(input(w, { env: "prod", digest: REF, approval: CI_APPROVAL })), vi, 1000);
    expect(result.failure).toBe("");
    const west = w.get("prod", "us-west-2");
    // The approval report's change set (a CREATE, not executed), then the create, then the migration.
    expect(story(west.calls)).toEqual(["CreateChangeSet new template ImageUri=new MigrationImageUri=new", "ExecuteChangeSet", "RunTask fruit-api-migrate:1", "DescribeTasks"]);
    const stoppedAt = west.callsOf("DescribeTasks").at(-1)!.at;
    expect(west.callsOf("DescribeAlarms").filter((c) => c.at > stoppedAt).length).toBeGreaterThan(0);
    expect(ran).toEqual(["eu-west-1", "us-east-1", "us-west-2"]);
    expect(result.stages.find((s) => s.id === "prod")!.actions.find((a) => a.name === "db-deploy")!.summary).toMatch(
      /wave rest: db deploy: us-west-2: stack fruit-api-prod does not exist yet.*wave rest: db deploy: us-west-2: first deploy, after the stack was created: migration task \S+ exited 0/,
    );
  });
});
