// Release tests with a mocked AWS world: CloudFormation and CloudWatch per environment and region
// from the simulation in test/support/fake-aws.ts, Synthetics mocked with aws-sdk-client-mock.
// The source is an in-memory stand-in for a Dagger Directory (no engine is involved: the AWS stages
// only read files from it).
import {
  CreateCanaryCommand,
  DescribeCanariesCommand,
  DescribeRuntimeVersionsCommand,
  GetCanaryCommand,
  GetCanaryRunsCommand,
  StartCanaryCommand,
  SyntheticsClient,
} from "@aws-sdk/client-synthetics";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/nested-clients/sts";
import { afterEach, beforeEach, vi } from "vitest";
import { dag, type Container, type Directory } from "@dagger.io/dagger";
import type { Registry } from "../../src/aws/ecr/client.js";
import type { ReferrerOutcome } from "../../src/publish/referrers.dagger.js";
import type { AwsWorld } from "../../src/pipeline/aws-world.js";
import type { VerdictStore } from "../../src/pipeline/promotion.js";
import { GAMMA_VERDICT_ARTIFACT_TYPE, GAMMA_VERDICT_FILE, type GammaVerdictRecord } from "../../src/pipeline/promotion.js";
import { runActionIdsOf } from "../../src/pipeline/model.js";
import { runnersOf, type BuildStageOutput, type StageProvider } from "../../src/pipeline/stage.js";
import type { DaggerReleaseContext } from "../../src/pipeline/context.dagger.js";
import { mockAws, type LooseStub } from "./aws-mock.js";
import { FakeRegion, type RecordedCall, type RegionScenario } from "./fake-aws.js";
import { FakeEcs, type EcsScenario } from "./fake-ecs.js";
import { BLUE_GREEN_SERVICE } from "./stack-templates.js";

/** A prod approval from the CI's protected environment (the default and only source unless dpra.yaml lists explicit). */
/**
 * STS for the chained prod role sessions (renewed before each wave): every AssumeRole answers with a
 * one-hour session from the (fake) clock. Call in beforeEach, after the fake timers are set.
 */
export function stubAssumeRole(sts: LooseStub): void {
  sts.reset();
  sts.on(AssumeRoleCommand).callsFake(async () => ({
    Credentials: {
      AccessKeyId: "ASIARELEASETESTROLE1",
      SecretAccessKey: "release/test/role/secret",
      SessionToken: "release-test-token",
      Expiration: new Date(Date.now() + 3600_000),
    },
  }));
}

/** Where the fake clock of the release suites starts: 2026-11-26 09:00 UTC. */
export const T0 = new Date("2026-11-26T09:00:00Z").getTime();

/**
 * The SDK mocks of a release suite: Synthetics (reset before each test) and STS answering
 * AssumeRole, with the fake clock at T0 and the progress lines silenced; all undone after each test.
 */
export function releaseSdkMocks(): { synthetics: LooseStub } {
  const synthetics = mockAws(SyntheticsClient);
  const sts = mockAws(STSClient);
  beforeEach(() => {
    stubAssumeRole(sts);
    vi.useFakeTimers({ now: T0 });
    synthetics.reset();
    vi.spyOn(console, "log").mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });
  return { synthetics };
}

export const CI_APPROVAL = {
  ciEnvironment: "prod",
  ciVars: "GITHUB_ACTIONS=true\nGITHUB_SERVER_URL=https://github.com\nGITHUB_REPOSITORY=acme/fruit-api\nGITHUB_RUN_ID=42\nGITHUB_ACTOR=alice",
};

export const REF = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/fruit-api@sha256:" + "a".repeat(64);
export const OLD_REF = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/fruit-api@sha256:" + "0".repeat(64);
export const KEY_ID = "AKIARELEASETEST00001";
export const SECRET_KEY = "release/test/secret/access/key/00000001";
/** The stack of these tests: the image parameter, the ECS service of the default strategy, the canary's endpoint output. */
export const TEMPLATE = `Parameters:
  ImageUri:
    Type: String
Resources:
${BLUE_GREEN_SERVICE}Outputs:
  ApiEndpoint:
    Value: https://fruit.example.com
`;

export const YAML = `
name: fruit-api
artifact:
  ecr: { repository: fruit-api, account: "111111111111", region: eu-west-1 }
environments:
  gamma:
    account: "222222222222"
    roleArn: arn:aws:iam::222222222222:role/dpra-deploy
    region: eu-west-1
    stackName: fruit-api-gamma
    template: infra/template.yaml
    alarms: [fruit-api-5xx]
    pollSeconds: 1
    monitoringMinutes: 0
    bakeMinutes: 1
  prod:
    account: "333333333333"
    roleArn: arn:aws:iam::333333333333:role/dpra-deploy
    stackName: fruit-api-prod
    template: infra/template.yaml
    alarms: [fruit-api-5xx]
    pollSeconds: 1
    monitoringMinutes: 0
    waves:
      - { name: first, regions: [eu-west-1], bakeMinutes: 1 }
      - { name: second, regions: [us-east-1], bakeMinutes: 30 }
      - { name: rest, regions: [us-west-2], bakeMinutes: 1 }
synthetics:
  name: fruit_smoke
  script: canary/canary.js
  executionRoleArn: arn:aws:iam::222222222222:role/fruit-canary
  artifactS3Location: s3://fruit-canary-artifacts/runs
`;

/** A Directory stand-in holding these files (only entries() and file().contents() are used). */
export function sourceOf(files: Record<string, string>): Directory {
  return {
    entries: async () => [...new Set(Object.keys(files).map((f) => f.split("/")[0]!))],
    file: (p: string) => ({
      contents: async () => {
        const text = files[p];
        if (text === undefined) throw new Error(`no file ${p} in the test source`);
        return text;
      },
    }),
  } as unknown as Directory;
}

export const FILES = {
  "dpra.yaml": YAML,
  "package.json": '{"name":"fruit-api"}',
  "package-lock.json": "{}",
  "infra/template.yaml": TEMPLATE,
  "canary/canary.js": "exports.handler = async () => fetch(process.env.BASE_URL);\n",
};

/** A stack that runs `image` and gets an endpoint output after an update. */
export function stackScenario(region: string, image: string, over: Partial<RegionScenario> = {}): RegionScenario {
  return {
    stack: {
      status: "UPDATE_COMPLETE",
      parameters: [{ ParameterKey: "ImageUri", ParameterValue: image }],
      outputs: [{ OutputKey: "ApiEndpoint", OutputValue: `https://${region}.fruit.example.com` }],
    },
    outputsAfter: [{ OutputKey: "ApiEndpoint", OutputValue: `https://${region}.fruit.example.com/` }],
    alarms: { "fruit-api-5xx": [{ at: 0, state: "OK" }] },
    ...over,
  };
}

/**
 * Gamma verdicts kept in memory by subject, standing in for ECR referrers (the ORAS store has its own
 * plan and real tests). Records who wrote and who read them (the registry's identity).
 */
export class MemoryVerdicts {
  readonly bySubject = new Map<string, Array<{ source: string; text: string }>>();
  readonly writers: string[] = [];
  readonly readers: string[] = [];
  /** Set to make the registry refuse the attach. */
  refuse?: string;

  store(registry: Registry): VerdictStore {
    return {
      attach: async (subject: string, record: GammaVerdictRecord): Promise<ReferrerOutcome> => {
        this.writers.push(registry.identity.principal);
        const base = { artifactType: GAMMA_VERDICT_ARTIFACT_TYPE, file: GAMMA_VERDICT_FILE };
        if (this.refuse) return { ...base, status: "failed", error: this.refuse };
        const list = this.bySubject.get(subject) ?? [];
        const digest = `sha256:${String(list.length + 1).padStart(64, "0")}`;
        list.push({ source: `${subject.split("@")[0]}@${digest}`, text: JSON.stringify(record) });
        this.bySubject.set(subject, list);
        return { ...base, status: "attached", digest, reference: `${subject.split("@")[0]}@${digest}` };
      },
      read: async (subject: string) => {
        this.readers.push(registry.identity.principal);
        return this.bySubject.get(subject) ?? [];
      },
    };
  }

  /**
   * Attaches a record as an earlier Gamma run would have: `passed`, or `failed` with `failedCheck`
   * failed and the checks after it skipped. `reference` is `<host>/<repository>@sha256:...`.
   */
  seed(reference: string, verdict: "passed" | "failed", over: { runId?: string; recordedAt?: string; failedCheck?: "canary" | "capacity" | "alarms" } = {}): void {
    const [name, digest] = reference.split("@") as [string, string];
    const order = ["deploy", "verify-digest", "alarms", "canary", "capacity"] as const;
    const failedAt = verdict === "failed" ? order.indexOf(over.failedCheck ?? "canary") : order.length;
    const record: GammaVerdictRecord = {
      schemaVersion: 1,
      subject: digest,
      repository: name,
      verdict,
      runId: over.runId ?? "run-earlier-gamma",
      recordedAt: over.recordedAt ?? "2026-11-25T09:00:00.000Z",
      environment: { account: "222222222222", region: "eu-west-1", stack: "fruit-api-gamma" },
      checks: order.map((c, i) => ({
        name: c,
        status: i < failedAt ? "passed" : i === failedAt ? "failed" : "skipped",
        ...(i === failedAt ? { detail: `${c} failed in the seeded run` } : {}),
      })),
    };
    const list = this.bySubject.get(reference) ?? [];
    list.push({
      source: `${name}@sha256:${String(list.length + 1)
        .repeat(64)
        .slice(0, 64)}`,
      text: JSON.stringify(record),
    });
    this.bySubject.set(reference, list);
  }

  /** The records attached to `subject`, parsed. */
  records(subject: string): GammaVerdictRecord[] {
    return (this.bySubject.get(subject) ?? []).map((v) => JSON.parse(v.text) as GammaVerdictRecord);
  }
}

export class FakeWorld implements AwsWorld {
  readonly gammaVerdicts = new MemoryVerdicts();

  verdicts(registry: Registry, _runId: string): VerdictStore {
    return this.gammaVerdicts.store(registry);
  }

  readonly regions = new Map<string, FakeRegion>();
  readonly calls: RecordedCall[] = [];
  /** Which environment's credentials built which clients. */
  readonly credentialsSeen: Array<{ env: string; region: string; provider: unknown }> = [];

  async ready(): Promise<void> {}

  add(env: string, region: string, stackName: string, scenario: RegionScenario): FakeRegion {
    const fake = new FakeRegion(region, stackName, scenario);
    this.regions.set(`${env}/${region}`, fake);
    return fake;
  }

  get(env: string, region: string): FakeRegion {
    const fake = this.regions.get(`${env}/${region}`);
    if (!fake) throw new Error(`the test has no ${env} region ${region}`);
    return fake;
  }

  regionClients(env: string, region: string, credentials: unknown) {
    this.credentialsSeen.push({ env, region, provider: credentials });
    const fake = this.get(env, region);
    return { cloudFormation: fake.cfn, cloudWatch: fake.cw };
  }

  async synthetics(_env: string, region: string) {
    return new SyntheticsClient({ region, credentials: { accessKeyId: "AKIAFAKEFAKEFAKE", secretAccessKey: "fake" } });
  }

  async fis(): Promise<never> {
    throw new Error("no FIS in this test");
  }

  readonly ecsRegions = new Map<string, FakeEcs>();

  /** ECS of a region, recording into the same call log as the region's CloudFormation (for call order). */
  addEcs(env: string, region: string, scenario: EcsScenario): FakeEcs {
    const fake = new FakeEcs(region, scenario, this.get(env, region).calls);
    this.ecsRegions.set(`${env}/${region}`, fake);
    return fake;
  }

  async ecs(env: string, region: string, credentials: unknown) {
    this.credentialsSeen.push({ env, region, provider: credentials });
    const fake = this.ecsRegions.get(`${env}/${region}`);
    if (!fake) throw new Error(`the test has no ECS in ${env} region ${region}`);
    return fake.client;
  }
}

/**
 * Synthetics: create, start and one run per canary, PASSED or FAILED by the client's region. Returns
 * the regions whose canary ran, in order.
 */
export function mockCanary(synthetics: LooseStub, state: (region: string) => "PASSED" | "FAILED"): string[] {
  const ran: string[] = [];
  let started = false;
  synthetics.on(DescribeRuntimeVersionsCommand).resolves({ RuntimeVersions: [{ VersionName: "syn-nodejs-playwright-2.0" }] });
  synthetics.on(DescribeCanariesCommand).resolves({ Canaries: [] });
  synthetics.on(CreateCanaryCommand).callsFake(() => ((started = false), {}));
  synthetics.on(StartCanaryCommand).callsFake(() => ((started = true), {}));
  synthetics.on(GetCanaryCommand).callsFake(() => ({ Canary: { Status: { State: started ? "RUNNING" : "READY" } } }));
  const runs = async (_input: unknown, getClient: () => SyntheticsClient) => {
    const region = await getClient().config.region();
    if (ran[ran.length - 1] !== region) ran.push(region);
    const s = state(region);
    return { CanaryRuns: [{ Id: `run-${region}`, Status: { State: s, StateReasonCode: s === "FAILED" ? "CANARY_FAILURE" : "" }, Timeline: { Started: new Date() } }] };
  };
  synthetics.on(GetCanaryRunsCommand).callsFake(runs as never);
  return ran;
}

/** The build stage's DPRA actions, from the model. */
export const BUILD_IDS = runActionIdsOf("build");

/** A build that passes and hands on a (lazy, never evaluated) image. */
export function passingBuild(): () => Promise<BuildStageOutput<Container>> {
  return async () => ({
    actions: Object.fromEntries(BUILD_IDS.map((id) => [id, { ok: true, summary: "ok" }])),
    image: dag.container(),
    imageDigest: `sha256:${"d".repeat(64)}`,
  });
}

/** A Beta stage that passes (the real one needs an engine; its plan tests live in test/stages). */
export const passingBeta: StageProvider<DaggerReleaseContext, "beta"> = {
  stage: "beta",
  runners: () => runnersOf("beta", () => async () => ({ ok: true, summary: "ok" })),
};
