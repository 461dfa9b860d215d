// The CloudFormation side of Gamma and Prod, as the ports their engine-free cores expect: a wave
// deployed with the deployer (alarms watched, the wave rolled back on failure), a bake that watches
// every expected alarm and records each poll, an idempotent rollback per region, and change-set
// previews for the approval report. Credentials and clients are the caller's business.
import type { ChangeSetPreview } from "../approval/approval.js";
import { watchAlarms } from "../aws/alarms/watch.js";
import { rollbackStack } from "../aws/cloudformation/rollback.js";
import type { StackDeployResult } from "../aws/cloudformation/deployer.js";
import { describeStack } from "../aws/cloudformation/stack.js";
import { deployEnvironment, type AlarmPollEvent, type RegionClients } from "../aws/deploy/environment.js";
import { contentRunId, protectionFor } from "../aws/deploy/plan.js";
import { digestOfReference } from "../aws/ecr/images.js";
import type { AwsEnvironment } from "../config/sections/environments.js";
import { expectedAlarms, observationsFromPolls, type AlarmPoll, type WatchObservations } from "../stages/gamma/monitoring.js";
import type { StackDeployment } from "../stages/gamma/stage.js";
import type { ProdWave, WaveDeployer } from "../stages/prod/stage.js";

export interface CfnEnvironment {
  envName: "gamma" | "prod";
  env: AwsEnvironment;
  templateBody: string;
  /** The image reference pinned by digest (`repository@sha256:...`). */
  reference: string;
  clientsFor(region: string): RegionClients;
  log(line: string): void;
  /** Poll interval override in ms (default: the environment's pollSeconds). */
  pollMs?: number;
}

/** The environment reduced to one wave with no bake: the caller bakes, watching every alarm. */
export function cutToWave(env: AwsEnvironment, wave: { name: string; regions: readonly string[] }): AwsEnvironment {
  return { ...env, region: undefined, waves: [{ name: wave.name, regions: [...wave.regions], bakeMinutes: 0 }] };
}

/** The one region Gamma runs in: `region`, or a single wave with a single region. */
export function gammaRegion(env: AwsEnvironment): string {
  const regions = env.region ? [env.region] : (env.waves ?? []).flatMap((w) => w.regions);
  if (regions.length !== 1) {
    throw new Error(`environments.gamma deploys to ${regions.length} regions (${regions.join(", ")}): Gamma is one production-like region; set environments.gamma.region`);
  }
  return regions[0]!;
}

/** Change-set name seed: the same content gives the same change sets, so a preview is what a deploy executes. */
export function changeSetRunId(c: Pick<CfnEnvironment, "envName" | "env" | "reference" | "templateBody">): string {
  return contentRunId(c.envName, c.env, c.reference, c.templateBody);
}

/** The stack's outputs and parameters as it is now, read back from CloudFormation. */
export async function stackFacts(c: RegionClients, stackName: string): Promise<{ outputs: Record<string, string>; parameters: Record<string, string> }> {
  const stack = await describeStack(c.cloudFormation, stackName);
  if (!stack) throw new Error(`stack ${stackName} does not exist`);
  const outputs = Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey ?? "", o.OutputValue ?? ""]));
  const parameters = Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey ?? "", p.ParameterValue ?? ""]));
  return { outputs, parameters };
}

/** Creates and describes the change sets of every region of the environment, executing nothing. */
export async function previewChangeSets(c: CfnEnvironment): Promise<ChangeSetPreview[]> {
  const preview = await deployEnvironment({
    envName: c.envName,
    env: c.env,
    clientsFor: c.clientsFor,
    templateBody: c.templateBody,
    image: c.reference,
    runId: changeSetRunId(c),
    preview: true,
    log: c.log,
    ...(c.pollMs !== undefined ? { pollMs: c.pollMs } : {}),
  });
  if (preview.status !== "preview" && preview.status !== "no-change") throw new Error(preview.message);
  return preview.regions.flatMap((r) => (r.stack ? [{ stack: c.env.stackName, region: r.region, diff: r.stack.diffText }] : []));
}

const toPoll = (p: Pick<AlarmPollEvent, "at" | "inAlarm" | "insufficientData" | "ok">): AlarmPoll => ({
  at: p.at,
  inAlarm: p.inAlarm,
  insufficientData: p.insufficientData,
  ok: p.ok,
});

/** A breach seen while baking. */
export interface BakeBreach {
  region: string;
  alarm: string;
}

/** WaveDeployer over the CloudFormation deployer (see src/stages/prod/stage.ts). */
export class CfnWaveDeployer implements WaveDeployer {
  private readonly deployed = new Map<string, StackDeployResult>();
  private readonly rolledBack = new Set<string>();
  private readonly outputs = new Map<string, Record<string, string>>();
  readonly breaches: BakeBreach[] = [];

  constructor(private readonly c: CfnEnvironment) {}

  private get pollMs(): number {
    return this.c.pollMs ?? this.c.env.pollSeconds * 1000;
  }

  /** The outputs a region's stack had after its deploy. */
  outputsOf(region: string): Record<string, string> {
    return this.outputs.get(region) ?? {};
  }

  async deployWave(wave: ProdWave, digest: string): Promise<StackDeployment[]> {
    if (digestOfReference(this.c.reference) !== digest) {
      throw new Error(`asked to deploy ${digest}, but this release deploys ${this.c.reference}`);
    }
    const polls: AlarmPollEvent[] = [];
    const started = Date.now();
    const result = await deployEnvironment({
      envName: this.c.envName,
      env: cutToWave(this.c.env, wave),
      clientsFor: this.c.clientsFor,
      templateBody: this.c.templateBody,
      image: this.c.reference,
      runId: changeSetRunId(this.c),
      preview: false,
      log: this.c.log,
      onAlarmPoll: (p) => polls.push(p),
      ...(this.c.pollMs !== undefined ? { pollMs: this.c.pollMs } : {}),
    });
    for (const r of result.regions) {
      if (r.stack) this.deployed.set(r.region, r.stack);
      if (r.status === "rolled-back") this.rolledBack.add(r.region);
    }
    // The deployer has already rolled back the wave's changed stacks.
    if (result.status !== "succeeded" && result.status !== "no-change") throw new Error(result.message);
    return Promise.all(
      wave.regions.map(async (region) => {
        const clients = this.c.clientsFor(region);
        const facts = await stackFacts(clients, this.c.env.stackName);
        this.outputs.set(region, facts.outputs);
        // Alarms the stack outputs (beyond dpra.yaml's) were not known before the deploy: one poll now,
        // so that each expected alarm has a state or shows as missing.
        const names = expectedAlarms(facts.outputs, this.c.env.alarms).map((a) => a.name);
        const now = await watchAlarms({
          client: clients.cloudWatch,
          alarmNames: names,
          durationMs: 0,
          pollMs: this.pollMs,
          onPoll: (s) => polls.push({ region, phase: "deploy", at: Date.now(), ...s }),
        });
        const mine = polls.filter((p) => p.region === region).map(toPoll);
        return {
          stackName: this.c.env.stackName,
          region,
          outputs: facts.outputs,
          parameters: facts.parameters,
          watches: [observationsFromPolls(`${this.c.envName} ${wave.name}: deploy`, region, started, Date.now(), mine, now.missing)],
        };
      }),
    );
  }

  async bakeWave(wave: ProdWave, alarmsByRegion: Record<string, string[]>, bakeMs: number): Promise<WatchObservations[]> {
    const stop = new AbortController();
    const started = Date.now();
    if (bakeMs > 0) this.c.log(`== ${this.c.envName} ${wave.name}: baking ${Math.round(bakeMs / 1000)} s`);
    return Promise.all(
      wave.regions.map(async (region) => {
        const polls: AlarmPoll[] = [];
        const w = await watchAlarms({
          client: this.c.clientsFor(region).cloudWatch,
          alarmNames: alarmsByRegion[region] ?? [],
          durationMs: bakeMs,
          pollMs: this.pollMs,
          signal: stop.signal,
          onPoll: (s) => polls.push({ at: Date.now(), ...s }),
        });
        if (w.breached) {
          this.breaches.push({ region, alarm: w.breached.name });
          this.c.log(`== ${this.c.envName} ${wave.name}: alarm ${w.breached.name} in ${region} is in ALARM: ${w.breached.reason}`);
          // One breach ends every region's bake at once.
          stop.abort();
        }
        return observationsFromPolls(`${this.c.envName} ${wave.name}: bake`, region, started, Date.now(), polls, w.missing);
      }),
    );
  }

  async rollback(regions: string[], reason: string): Promise<void> {
    const failures: string[] = [];
    for (const region of regions) {
      const stack = this.deployed.get(region);
      if (this.rolledBack.has(region)) continue;
      if (!stack || stack.outcome === "no-change") {
        this.c.log(`[${region} ${this.c.env.stackName}] rollback: nothing this release changed`);
        continue;
      }
      this.c.log(`[${region} ${this.c.env.stackName}] rollback: ${reason}`);
      const r = await rollbackStack({
        client: this.c.clientsFor(region).cloudFormation,
        region,
        stackName: this.c.env.stackName,
        snapshot: stack.snapshot,
        createdInThisRun: stack.createdInThisRun,
        changeSetName: stack.changeSetName,
        terminationProtection: protectionFor(this.c.envName, this.c.env).terminationProtection,
        pollMs: this.pollMs,
        timeoutMs: this.c.env.timeoutMinutes * 60_000,
        log: this.c.log,
      });
      if (r.ok) this.rolledBack.add(region);
      else failures.push(`${region}: ${r.message}`);
    }
    if (failures.length > 0) throw new Error(failures.join("; "));
  }
}
