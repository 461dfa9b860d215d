// Level 3: a three-hour prod rollout under fake timers keeps valid credentials. The prod role is
// chained with the project's real assumeRole (the SDK's fromTemporaryCredentials) against STS
// mocked by aws-sdk-client-mock, whose sessions last one hour as chained sessions do in AWS. The
// waves are fakes whose alarm watch calls AWS once a minute with the role's credentials.
import { AssumeRoleCommand, STSClient } from "@aws-sdk/nested-clients/sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resolveApproval } from "../../../src/actions/approval/approval.js";
import { assumeRole, baseIdentity, type AwsIdentity } from "../../../src/aws/credentials/providers.js";
import { credentialProvidersSdk } from "../../../src/aws/sdk.js";
import { prodSessions } from "../../../src/stages/prod/provider.dagger.js";
import type { WatchObservations } from "../../../src/actions/monitoring/watch-summary.js";
import type { StackDeployment } from "../../../src/stages/gamma/stage.js";
import { runProdStage, type ProdWave, type WaveDeployer } from "../../../src/stages/prod/stage.js";

const T0 = Date.parse("2026-12-07T08:00:00Z");
const MINUTE = 60_000;
const DIGEST = "sha256:" + "d".repeat(64);
const ROLE = "arn:aws:iam::210987654321:role/dpra-deploy";
const sts = mockClient(STSClient);

let sessions = 0;
// The providers package loads lazily on the first AWS call; loaded here, before the clock is faked.
beforeAll(async () => {
  await credentialProvidersSdk();
});
beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  sessions = 0;
  sts.reset();
  sts.on(AssumeRoleCommand).callsFake(async () => {
    sessions++;
    return {
      Credentials: { AccessKeyId: `ASIAPRODSESSION${String(sessions).padStart(5, "0")}`, SecretAccessKey: "s", SessionToken: "t", Expiration: new Date(Date.now() + 3600_000) },
    };
  });
});
afterEach(() => {
  vi.useRealTimers();
});

/** The region's alarm stayed OK for the whole phase. */
const quiet = (region: string, phase: string): WatchObservations => ({
  phase,
  region,
  startedAt: T0,
  endedAt: Date.now(),
  alarms: [{ alarm: `fruit-prod-5xx-${region}`, exists: true, transitions: [{ state: "OK", at: T0 }] }],
});

/** Waves whose deploy takes 40 minutes and whose alarm watch calls AWS every minute, checking the credentials it is given. */
class MinuteByMinuteWaves implements WaveDeployer {
  calls = 0;
  expiredAt: string[] = [];
  constructor(private readonly identityOf: (region: string) => AwsIdentity) {}

  private async callEveryMinute(region: string, minutes: number): Promise<void> {
    for (let m = 0; m < minutes; m++) {
      await new Promise((r) => setTimeout(r, MINUTE));
      const creds = await this.identityOf(region).credentials();
      this.calls++;
      if (!creds.expiration || creds.expiration.getTime() <= Date.now()) this.expiredAt.push(`${region} +${(Date.now() - T0) / MINUTE} min`);
    }
  }

  async deployWave(wave: ProdWave, digest: string): Promise<StackDeployment[]> {
    await Promise.all(wave.regions.map((r) => this.callEveryMinute(r, 40)));
    return wave.regions.map((region) => ({
      stackName: "fruit-api-prod",
      region,
      outputs: { ApiEndpoint: `https://${region}.fruit.example.com`, ErrorsAlarm: `fruit-prod-5xx-${region}` },
      parameters: { ImageUri: `210987654321.dkr.ecr.${region}.amazonaws.com/fruit-api@${digest}` },
      watches: [quiet(region, "traffic shift")],
    }));
  }

  async bakeWave(wave: ProdWave, _alarms: Record<string, string[]>, bakeMs: number): Promise<WatchObservations[]> {
    await Promise.all(wave.regions.map((r) => this.callEveryMinute(r, bakeMs / MINUTE)));
    return wave.regions.map((region) => quiet(region, "bake"));
  }

  async rollback(): Promise<void> {}
}

describe("a three-wave prod rollout of three hours", () => {
  it("renews the chained role session before each wave and before a bake it would not outlast: no call ever uses expired credentials", async () => {
    const base = baseIdentity({ kind: "keys", accessKeyId: "AKIDCALLERKEYS000001", secretAccessKey: "caller-secret" }, { sessionName: "ci", region: "eu-west-1" });
    const identities = new Map<string, AwsIdentity>();
    const identityOf = (region: string) => {
      if (!identities.has(region)) identities.set(region, assumeRole(base, { roleArn: ROLE, sessionName: "dpra-fruit-api-prod-r1", region }));
      return identities.get(region)!;
    };
    const waves: ProdWave[] = [
      { name: "1", regions: ["eu-west-1"], bakeMinutes: 20 },
      { name: "2", regions: ["eu-west-1", "us-east-1"], bakeMinutes: 20 },
      { name: "3", regions: ["eu-west-1", "us-east-1", "ap-southeast-2"], bakeMinutes: 20 },
    ];
    const deployer = new MinuteByMinuteWaves(identityOf);
    const run = runProdStage(
      {
        waves: deployer,
        canary: async () => ({ name: "fruit_smoke", runtimeVersion: "syn-nodejs-playwright-2.0", action: "updated", run: { state: "PASSED" }, steps: [], passed: true }),
        sessions: prodSessions((region) => identityOf(region).session),
        now: () => new Date(),
      },
      {
        approval: resolveApproval({ ciVars: {}, approvedBy: "jane", requiredEnvironment: "prod", allowedSources: ["explicit"], now: new Date(T0) }),
        digest: DIGEST,
        waves,
        strategy: "ecs-canary",
        endpointOutput: "ApiEndpoint",
        imageParameter: "ImageUri",
        configuredAlarms: [],
      },
    );
    let settled = false;
    void run.finally(() => (settled = true));
    // Minute by minute, so that work started after real I/O (the SDK's lazy import) meets the clock too.
    for (let m = 0; m < 2000 && !settled; m++) await vi.advanceTimersByTimeAsync(MINUTE);
    const result = await run;

    expect(result.passed, JSON.stringify(result.actions.filter((a) => a.status !== "passed"))).toBe(true);
    expect(Date.now() - T0).toBeGreaterThanOrEqual(180 * MINUTE);
    // 3 waves x (40 min deploy + 20 min bake) of per-minute calls in 1, 2 and 3 regions.
    expect(deployer.calls).toBe(60 * (1 + 2 + 3));
    expect(deployer.expiredAt).toEqual([]);
    // eu-west-1 runs through all three hours: more sessions than one hour could give, at least one per wave.
    expect(identityOf("eu-west-1").session!.sessionsStarted).toBeGreaterThanOrEqual(3);
    expect(result.actions.filter((a) => a.name.endsWith(": credentials")).map((a) => a.status)).toEqual(["passed", "passed", "passed"]);
  });

  it("a session is renewed when a call finds it within the margin of its end, and concurrent calls share one AssumeRole", async () => {
    const base = baseIdentity({ kind: "keys", accessKeyId: "AKIDCALLERKEYS000001", secretAccessKey: "caller-secret" }, { sessionName: "ci", region: "eu-west-1" });
    const role = assumeRole(base, { roleArn: ROLE, sessionName: "s", region: "eu-west-1" });
    const [a, b] = await Promise.all([role.credentials(), role.credentials()]);
    expect(a.accessKeyId).toBe(b.accessKeyId);
    expect(sessions).toBe(1);
    vi.setSystemTime(T0 + 45 * MINUTE);
    expect((await role.credentials()).accessKeyId).toBe(a.accessKeyId);
    vi.setSystemTime(T0 + 51 * MINUTE);
    expect((await role.credentials()).accessKeyId).not.toBe(a.accessKeyId);
    expect(sessions).toBe(2);
    // A 30-minute wait with 45 minutes left needs nothing; a 50-minute wait gets a new session now.
    vi.setSystemTime(T0 + 66 * MINUTE);
    await role.session!.ensureValidFor(30 * MINUTE);
    expect(sessions).toBe(2);
    await role.session!.ensureValidFor(50 * MINUTE);
    expect(sessions).toBe(3);
  });
});
