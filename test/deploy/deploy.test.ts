// Plan test of the deploy shell: the real Dagger SDK talks to the loopback fake engine (no engine
// run), and the AWS side is the aws-sdk-client-mock simulation. It proves what the shell reads from
// the engine (config, template, secrets) and what it returns, not that AWS accepts it.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { dag } from "@dagger.io/dagger";
import { runDeploy } from "../../src/deploy/deploy.dagger.js";
import { FakeEngine, type Leaf } from "../support/fake-engine.js";
import { Plan } from "../support/plan.js";
import { FakeRegion, type RegionScenario } from "../support/fake-aws.js";
import { BLUE_GREEN_SERVICE } from "../support/stack-templates.js";

const IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fruit-api@sha256:" + "c".repeat(64);
const KEY_ID = "AKIAPLANTESTKEYID000";
const SECRET_KEY = "plan/test/secret/access/key/value/0000000";
const CI_APPROVAL = {
  ciEnvironment: "prod",
  ciVars: "GITHUB_ACTIONS=true\nGITHUB_SERVER_URL=https://github.com\nGITHUB_REPOSITORY=acme/fruit-api\nGITHUB_RUN_ID=7\nGITHUB_ACTOR=octo",
};
const TEMPLATE = `Parameters:\n  ImageUri:\n    Type: String\nResources:\n${BLUE_GREEN_SERVICE}`;
const DPRA_YAML = `
name: fruit-api
environments:
  prod:
    account: "123456789012"
    roleArn: arn:aws:iam::123456789012:role/dpra-deploy
    stackName: fruit-api-prod
    template: infra/stack.yaml
    pollSeconds: 1
    monitoringMinutes: 0
    alarms: [fruit-api-5xx]
    waves:
      - regions: [eu-west-1]
        bakeMinutes: 0
`;

/** The template the fake engine serves as infra/stack.yaml; a test may swap it. */
let template = TEMPLATE;

function answer(leaf: Leaf): unknown {
  const fileCall = leaf.calls.find((c) => c.field === "file");
  if (leaf.field === "entries") return ["dpra.yaml", "infra", "package.json"];
  if (leaf.field === "contents" && fileCall?.args.path === "dpra.yaml") return DPRA_YAML;
  if (leaf.field === "contents" && fileCall?.args.path === "infra/stack.yaml") return template;
  if (leaf.field === "contents" && fileCall?.args.path === "package.json") return "{}";
  if (leaf.field === "plaintext") return leaf.calls.find((c) => c.field === "setSecret")?.args.plaintext;
  return undefined;
}

let engine: FakeEngine | undefined;
beforeEach(() => {
  template = TEMPLATE;
  // The shell prints the event stream; keep the test output readable.
  vi.spyOn(console, "log").mockImplementation(() => undefined);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await engine?.close();
  engine = undefined;
});

const quick: RegionScenario = {
  stack: { status: "UPDATE_COMPLETE", outputs: [{ OutputKey: "Url", OutputValue: "https://old" }] },
  outputsAfter: [{ OutputKey: "Url", OutputValue: "https://fruit.example", Description: "API endpoint", ExportName: "fruit-url" }],
  alarms: { "fruit-api-5xx": [{ at: 0, state: "OK" }] },
  execution: () => [
    { afterMs: 0, status: "UPDATE_IN_PROGRESS" },
    { afterMs: 200, status: "UPDATE_COMPLETE" },
  ],
};

describe("deploy shell (plan test with the fake engine; not an engine run)", () => {
  it("reads dpra.yaml, the configured template and the secrets, deploys, and returns a DeployResult without secret values", async () => {
    engine = await FakeEngine.start({ answer });
    const fake = new FakeRegion("eu-west-1", "fruit-api-prod", quick);
    const seenProviders: unknown[] = [];
    const result = await engine.run(() =>
      runDeploy({
        source: dag.directory(),
        env: "prod",
        image: IMAGE,
        preview: false,
        approval: CI_APPROVAL,
        secrets: { awsAccessKeyId: dag.setSecret("aws-key-id", KEY_ID), awsSecretAccessKey: dag.setSecret("aws-secret", SECRET_KEY) },
        makeClients: (region, credentials) => {
          expect(region).toBe("eu-west-1");
          seenProviders.push(credentials);
          return { cloudFormation: fake.cfn, cloudWatch: fake.cw };
        },
      }),
    );
    expect(result.status).toBe("succeeded");
    expect(result.environment).toBe("prod");
    expect(result.runId).toMatch(/^[0-9a-f]{20}$/);
    expect(result.regions).toHaveLength(1);
    const [region] = result.regions;
    expect(region).toMatchObject({ region: "eu-west-1", wave: "1", status: "updated", stackStatus: "UPDATE_COMPLETE", changeSet: `dpra-${result.runId}` });
    expect(region!.outputs.map((o) => ({ ...o }))).toEqual([{ key: "Url", value: "https://fruit.example", description: "API endpoint", exportName: "fruit-url" }]);
    expect(region!.diff).toContain("~ TaskDefinition");
    expect(result.diff()).toBe(region!.diff);
    expect(result.summary()).toContain("eu-west-1 (wave 1): updated [UPDATE_COMPLETE]");
    // The template came from environments.prod.template, and went to CloudFormation as is.
    expect(fake.callsOf("CreateChangeSet")[0]?.input.TemplateBody).toBe(TEMPLATE);
    expect(seenProviders).toHaveLength(1);
    expect(typeof seenProviders[0]).toBe("function");

    const everything = JSON.stringify({ ...result, regions: result.regions.map((r) => ({ ...r, outputs: r.outputs.map((o) => ({ ...o })) })) });
    expect(everything).toContain("UPDATE_COMPLETE");
    for (const s of [KEY_ID, SECRET_KEY]) {
      expect(everything).not.toContain(s);
      expect(result.log).not.toContain(s);
    }
    const plan = new Plan(engine);
    expect(plan.secretLeaks()).toEqual([]);
    const read = engine.leaves().filter((l) => l.field === "plaintext").length;
    expect(read).toBe(2);
  });

  it("deploy --env prod without an approval is refused before any credential, client or change set", async () => {
    engine = await FakeEngine.start({ answer });
    const fake = new FakeRegion("eu-west-1", "fruit-api-prod", quick);
    let clientsMade = 0;
    const run = (approval: Parameters<typeof runDeploy>[0]["approval"]) =>
      engine!.run(() =>
        runDeploy({
          source: dag.directory(),
          env: "prod",
          image: IMAGE,
          preview: false,
          ...(approval ? { approval } : {}),
          secrets: { awsAccessKeyId: dag.setSecret("aws-key-id", KEY_ID), awsSecretAccessKey: dag.setSecret("aws-secret", SECRET_KEY) },
          makeClients: () => {
            clientsMade++;
            return { cloudFormation: fake.cfn, cloudWatch: fake.cw };
          },
        }),
      );
    await expect(run(undefined)).rejects.toThrow(/prod needs an approval and none was found, so nothing was deployed to prod/);
    // --approved-by alone: refused under the default approval.sources (ci-environment only).
    await expect(run({ approvedBy: "mallory" })).rejects.toThrow(/--approved-by alone is not accepted/);
    expect(clientsMade).toBe(0);
    expect(fake.callsOf("CreateChangeSet")).toEqual([]);
    expect(new Plan(engine).secretLeaks()).toEqual([]);
  });

  it.each([
    [
      "a required parameter nobody supplies",
      `${TEMPLATE.replace("Resources:", "  CodeBucket:\n    Type: String\nResources:")}`,
      /infra\/stack\.yaml \[prod\] Parameters\.CodeBucket: has no Default/,
    ],
    [
      "a strategy the template does not implement",
      TEMPLATE.replace("Strategy: BLUE_GREEN", "Strategy: LINEAR"),
      /\[prod\] Resources\.Service\.Properties\.DeploymentConfiguration\.Strategy: is "LINEAR", but environments\.prod\.deployment\.strategy is ecs-blue-green/,
    ],
  ])("the Dagger deploy refuses %s by the contract, before any secret, client or change set", async (_what, broken, message) => {
    template = broken;
    engine = await FakeEngine.start({ answer });
    let clientsMade = 0;
    await expect(
      engine.run(() =>
        runDeploy({
          source: dag.directory(),
          env: "prod",
          image: IMAGE,
          preview: false,
          approval: CI_APPROVAL,
          secrets: { awsAccessKeyId: dag.setSecret("aws-key-id", KEY_ID), awsSecretAccessKey: dag.setSecret("aws-secret", SECRET_KEY) },
          makeClients: () => {
            clientsMade++;
            throw new Error("no client may be made");
          },
        }),
      ),
    ).rejects.toThrow(message);
    expect(clientsMade).toBe(0);
    expect(engine.leaves().filter((l) => l.field === "plaintext")).toEqual([]);
  });

  it("a preview (diff) executes nothing and returns the diff", async () => {
    engine = await FakeEngine.start({ answer });
    const fake = new FakeRegion("eu-west-1", "fruit-api-prod", quick);
    const result = await engine.run(() =>
      runDeploy({
        source: dag.directory(),
        env: "prod",
        image: IMAGE,
        preview: true,
        runId: "plan-1",
        secrets: { awsWebIdentityToken: dag.setSecret("oidc", "eyJ.plan.token"), awsRoleArn: "arn:aws:iam::999999999999:role/ci" },
        makeClients: () => ({ cloudFormation: fake.cfn, cloudWatch: fake.cw }),
      }),
    );
    expect(result.status).toBe("preview");
    expect(result.diff()).toMatch(/^Stack fruit-api-prod \(eu-west-1\), change set dpra-plan-1: 1 to add, 2 to modify, 0 to remove/);
    expect(fake.callsOf("ExecuteChangeSet")).toEqual([]);
  });

  it("fails the call with the summary when the deploy fails, so CI fails", async () => {
    engine = await FakeEngine.start({ answer });
    const fake = new FakeRegion("eu-west-1", "fruit-api-prod", {
      ...quick,
      execution: () => [
        { afterMs: 0, status: "UPDATE_IN_PROGRESS" },
        {
          afterMs: 50,
          event: { LogicalResourceId: "TaskDefinition", ResourceType: "AWS::ECS::TaskDefinition", ResourceStatus: "UPDATE_FAILED", ResourceStatusReason: "image not found" },
        },
        {
          afterMs: 60,
          event: { LogicalResourceId: "Service", ResourceType: "AWS::ECS::Service", ResourceStatus: "UPDATE_FAILED", ResourceStatusReason: "Resource update cancelled" },
        },
        { afterMs: 100, status: "UPDATE_ROLLBACK_IN_PROGRESS" },
        { afterMs: 300, status: "UPDATE_ROLLBACK_COMPLETE" },
      ],
    });
    await expect(
      engine.run(() =>
        runDeploy({
          source: dag.directory(),
          env: "prod",
          image: IMAGE,
          preview: false,
          approval: CI_APPROVAL,
          secrets: { awsAccessKeyId: dag.setSecret("k", KEY_ID), awsSecretAccessKey: dag.setSecret("s", SECRET_KEY) },
          makeClients: () => ({ cloudFormation: fake.cfn, cloudWatch: fake.cw }),
        }),
      ),
    ).rejects.toThrow(
      /prod fruit-api-prod: rolled-back .*\n {2}eu-west-1 \(wave 1\): failed \[UPDATE_ROLLBACK_COMPLETE\] - root cause: TaskDefinition \(AWS::ECS::TaskDefinition\) UPDATE_FAILED: image not found/,
    );
  });

  it.each([
    [{ env: "beta" }, /--env "beta": expected gamma or prod/],
    [{ env: "gamma" }, /dpra.yaml has no environments.gamma/],
    [{ image: "fruit-api:latest" }, /--image "fruit-api:latest": expected an image pinned by digest/],
  ])("refuses bad arguments with a clear message: %o", async (override, message) => {
    engine = await FakeEngine.start({ answer });
    await expect(engine.run(() => runDeploy({ source: dag.directory(), env: "prod", image: IMAGE, preview: true, secrets: {}, ...override }))).rejects.toThrow(message);
  });
});

describe("deploy credentials (the shared conversion of src/inputs/credentials.dagger.ts)", () => {
  it("refuses missing or mixed credentials before any AWS call, naming arguments, never values", async () => {
    engine = await FakeEngine.start({ answer });
    const fake = new FakeRegion("eu-west-1", "fruit-api-prod", quick);
    const run = (secrets: Parameters<typeof runDeploy>[0]["secrets"]) =>
      engine!.run(() =>
        runDeploy({ source: dag.directory(), env: "prod", image: IMAGE, preview: true, secrets, makeClients: () => ({ cloudFormation: fake.cfn, cloudWatch: fake.cw }) }),
      );
    await expect(run({})).rejects.toThrow(/No AWS credentials given/);
    await expect(run({ awsAccessKeyId: dag.setSecret("k1", KEY_ID) })).rejects.toThrow(/must be passed together/);
    const mixed = await run({
      awsAccessKeyId: dag.setSecret("k2", KEY_ID),
      awsSecretAccessKey: dag.setSecret("s2", SECRET_KEY),
      awsWebIdentityToken: dag.setSecret("t2", "eyJ.x"),
    }).catch((e: Error) => e);
    expect(String(mixed)).toMatch(/pass one kind only/);
    expect(String(mixed)).not.toContain(KEY_ID);
    await expect(run({ awsWebIdentityToken: dag.setSecret("t3", "eyJ.y") })).rejects.toThrow(/needs --aws-role-arn/);
    expect(fake.calls).toEqual([]);
  });
});
