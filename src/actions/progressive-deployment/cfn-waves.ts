// The wave engine's port over CloudFormation and CloudWatch: a wave's regions updated concurrently
// (alarm set as rollback triggers and watched), one poll of the full alarm set right after, a bake
// that ends at the first breach, and an idempotent rollback per region. Credentials are the caller's.
import { watchAlarms } from "../../aws/alarms/watch.js";
import type { StackDeployResult } from "../../aws/cloudformation/deployer.js";
import { formatDuration } from "../../aws/cloudformation/poll.js";
import { rollbackStack, type RollbackResult } from "../../aws/cloudformation/rollback.js";
import { describeStack } from "../../aws/cloudformation/stack.js";
import { protectionFor } from "./stack-settings.js";
import { digestOfReference } from "../../aws/ecr/images.js";
import type { AwsEnvironment } from "../../config/sections/environments.js";
import { observationsFromPolls, type AlarmPoll, type WatchObservations } from "../monitoring/watch-summary.js";
import { expectedAlarms } from "../monitoring/alarm-set.js";
import { alarmSetBeforeUpdate, deployedOutcome, deployRegion, type AlarmPollEvent, type BreachReport, type RegionClients } from "./cfn-region.js";
import type { StackDeployment, WavePort } from "./engine.js";
import { waveLabel, type Wave } from "./waves.js";

export interface CfnEnvironment {
  envName: string;
  env: AwsEnvironment;
  templateBody: string;
  /** The image reference pinned by digest (`repository@sha256:...`). */
  reference: string;
  clientsFor(region: string): RegionClients;
  log(line: string): void;
  /** Names the change sets: the same content gives the same change sets, so a preview is what a deploy executes. */
  runId: string;
  /** Poll interval override in ms (default: the environment's pollSeconds). */
  pollMs?: number;
  /** Every successful alarm poll, during deploys and bakes. */
  onAlarmPoll?(poll: AlarmPollEvent): void;
}

/** What a deploy or a preview of the environment is asked, from the environment (one owner for both). */
export function environmentRequest(c: CfnEnvironment, preview: boolean) {
  return {
    envName: c.envName,
    env: c.env,
    clientsFor: c.clientsFor,
    templateBody: c.templateBody,
    image: c.reference,
    runId: c.runId,
    preview,
    log: c.log,
    ...(c.pollMs !== undefined ? { pollMs: c.pollMs } : {}),
  };
}

export type RegionStatus = "created" | "updated" | "no-change" | "preview" | "failed" | "refused" | "stopped" | "rolled-back" | "rollback-failed" | "not-started";

export interface RegionReport {
  region: string;
  /** The wave's name (see planWaves). */
  wave: string;
  status: RegionStatus;
  stack?: StackDeployResult;
  rollback?: RollbackResult;
}

/** What a bake saw, by wave name. */
export interface BakeReport {
  bakedMs: number;
  insufficientData: string[];
  missing: string[];
}

/** The stack's outputs and parameters as it is now, read back from CloudFormation. */
export async function stackFacts(c: RegionClients, stackName: string): Promise<{ outputs: Record<string, string>; parameters: Record<string, string> }> {
  const stack = await describeStack(c.cloudFormation, stackName);
  if (!stack) throw new Error(`stack ${stackName} does not exist`);
  const outputs = Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey ?? "", o.OutputValue ?? ""]));
  const parameters = Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey ?? "", p.ParameterValue ?? ""]));
  return { outputs, parameters };
}

const toPoll = (p: AlarmPollEvent): AlarmPoll => ({ at: p.at, inAlarm: p.inAlarm, insufficientData: p.insufficientData, ok: p.ok });

export function describeFailures(regions: RegionReport[]): string {
  return regions
    .filter((r) => r.stack && !["created", "updated", "no-change", "preview"].includes(r.status))
    .map((r) => `${r.region}: ${r.stack?.message ?? r.status}`)
    .join("; ");
}

/** WavePort over the CloudFormation deployer. Its reports say what happened in every region it touched. */
export class CfnWaves implements WavePort {
  readonly reports = new Map<string, RegionReport>();
  readonly bakes = new Map<string, BakeReport>();
  /** The first breach that stopped a deploy or a bake. */
  breach?: BreachReport;
  private readonly outputs = new Map<string, Record<string, string>>();
  private lastWave?: string;

  constructor(private readonly c: CfnEnvironment) {}

  get pollMs(): number {
    return this.c.pollMs ?? this.c.env.pollSeconds * 1000;
  }

  /** The outputs a region's stack had after its deploy. */
  outputsOf(region: string): Record<string, string> {
    return this.outputs.get(region) ?? {};
  }

  private context(preview: boolean, polls?: AlarmPollEvent[]) {
    const { c } = this;
    return {
      ...environmentRequest(c, preview),
      pollMs: this.pollMs,
      onAlarmPoll: (p: AlarmPollEvent) => {
        polls?.push(p);
        c.onAlarmPoll?.(p);
      },
    };
  }

  /** Creates and describes the change sets of the wave's regions, executing nothing. */
  async previewWave(wave: Wave): Promise<RegionReport[]> {
    this.c.log(`== ${this.c.envName} ${waveLabel(wave)}: ${wave.regions.join(", ")} (preview)`);
    const stop = new AbortController();
    const sets = await Promise.all(wave.regions.map((region) => alarmSetBeforeUpdate(this.c, region)));
    const outcomes = await Promise.all(wave.regions.map((region, i) => deployRegion(this.context(true), wave, region, sets[i]!, stop)));
    return outcomes.map((o) => this.note(wave, o.stack));
  }

  private note(wave: Wave, stack: StackDeployResult): RegionReport {
    const report: RegionReport = { region: stack.region, wave: wave.name, status: stack.outcome, stack };
    this.reports.set(stack.region, report);
    return report;
  }

  async deployWave(wave: Wave, digest: string): Promise<StackDeployment[]> {
    if (digestOfReference(this.c.reference) !== digest) {
      throw new Error(`asked to deploy ${digest}, but this rollout deploys ${this.c.reference}`);
    }
    const label = waveLabel(wave);
    this.lastWave = wave.name;
    this.c.log(`== ${this.c.envName} ${label}: ${wave.regions.join(", ")}`);
    const polls: AlarmPollEvent[] = [];
    const started = Date.now();
    // The first failure or breach in a wave cancels the wave's other updates still running.
    const waveStop = new AbortController();
    // Every region's alarm set first: a stack that cannot be read stops the wave before any update.
    const sets = await Promise.all(wave.regions.map((region) => alarmSetBeforeUpdate(this.c, region)));
    const outcomes = await Promise.all(wave.regions.map((region, i) => deployRegion(this.context(false, polls), wave, region, sets[i]!, waveStop)));
    const reports = outcomes.map((o) => this.note(wave, o.stack));
    const breach = outcomes.find((o) => o.breach)?.breach;
    if (breach) {
      this.breach ??= breach;
      throw new Error(`alarm ${breach.name} in ${breach.region} went to ALARM during the deploy of ${label}: ${breach.reason}`);
    }
    const failed = reports.filter((r) => !deployedOutcome(r.status) && r.status !== "no-change");
    if (failed.length > 0) throw new Error(`${label} failed: ${describeFailures(failed)}`);
    if (reports.every((r) => r.status === "no-change")) this.c.log(`== ${this.c.envName} ${label}: no changes; no bake needed`);

    return Promise.all(
      reports.map(async (report) => {
        const { region } = report;
        const clients = this.c.clientsFor(region);
        const facts = await stackFacts(clients, this.c.env.stackName);
        this.outputs.set(region, facts.outputs);
        const base = { stackName: this.c.env.stackName, region, outputs: facts.outputs, parameters: facts.parameters };
        if (report.status === "no-change") return { ...base, changed: false, watches: [] };
        // The full alarm set now that the outputs are known: one poll, so each alarm has a state or shows as missing.
        const names = expectedAlarms(facts.outputs, this.c.env.alarms).map((a) => a.name);
        const now = await watchAlarms({
          client: clients.cloudWatch,
          alarmNames: names,
          durationMs: 0,
          pollMs: this.pollMs,
          onPoll: (s) => polls.push({ region, phase: "deploy", at: Date.now(), ...s }),
        });
        const mine = polls.filter((p) => p.region === region).map(toPoll);
        return { ...base, changed: true, watches: [observationsFromPolls(`${this.c.envName} ${label}: deploy`, region, started, Date.now(), mine, now.missing)] };
      }),
    );
  }

  async bakeWave(wave: Wave, alarmsByRegion: Record<string, string[]>, bakeMs: number): Promise<WatchObservations[]> {
    const label = waveLabel(wave);
    const started = Date.now();
    const perRegion = wave.regions.map((region) => ({ region, names: alarmsByRegion[region] ?? [] }));
    if (perRegion.every((r) => r.names.length === 0)) {
      this.c.log(`== ${this.c.envName} ${label}: no alarms to watch during the bake`);
      this.bakes.set(wave.name, { bakedMs: 0, insufficientData: [], missing: [] });
      return perRegion.map(({ region }) => ({ phase: `${this.c.envName} ${label}: bake`, region, startedAt: started, endedAt: started, alarms: [] }));
    }
    this.c.log(`== ${this.c.envName} ${label}: baking ${formatDuration(bakeMs)}, watching ${perRegion.map((r) => `${r.region}: ${r.names.join(", ")}`).join("; ")}`);
    const stop = new AbortController();
    const polls = new Map<string, AlarmPoll[]>(perRegion.map((r) => [r.region, []]));
    const ends = new Map<string, { insufficientData: string[]; missing: string[] }>();
    // React to the first breach at once: do not wait for the other regions' in-flight polls.
    let onBreach: () => void = () => undefined;
    const firstBreach = new Promise<void>((resolve) => (onBreach = resolve));
    const watches = Promise.all(
      perRegion.map(async ({ region, names }) => {
        const w = await watchAlarms({
          client: this.c.clientsFor(region).cloudWatch,
          alarmNames: names,
          durationMs: bakeMs,
          pollMs: this.pollMs,
          signal: stop.signal,
          onPoll: (state) => {
            const poll = { region, phase: "bake" as const, at: Date.now(), ...state };
            polls.get(region)?.push(toPoll(poll));
            this.c.onAlarmPoll?.(poll);
          },
        });
        ends.set(region, { insufficientData: w.insufficientData, missing: w.missing });
        if (w.failedPolls > 0) this.c.log(`== ${label} ${region}: ${w.failedPolls} alarm poll(s) failed during the bake`);
        if (w.breached && !this.breach) {
          this.breach = { ...w.breached, region, wave: wave.name, phase: "bake" };
          this.c.log(`== ${this.c.envName} ${label}: alarm ${w.breached.name} in ${region} is in ALARM: ${w.breached.reason}`);
          stop.abort();
          onBreach();
        }
      }),
    );
    await Promise.race([watches, firstBreach]);
    const ended = Date.now();
    this.bakes.set(wave.name, {
      bakedMs: ended - started,
      insufficientData: [...ends.values()].flatMap((e) => e.insufficientData),
      missing: [...ends.values()].flatMap((e) => e.missing),
    });
    return perRegion.map(({ region }) =>
      observationsFromPolls(`${this.c.envName} ${label}: bake`, region, started, ended, polls.get(region) ?? [], ends.get(region)?.missing ?? []),
    );
  }

  async rollback(regions: string[], reason: string): Promise<string[]> {
    const failures: string[] = [];
    const outcomes = await Promise.all(
      regions.map(async (region) => {
        const r = this.reports.get(region);
        const s = r?.stack;
        if (r?.status === "rolled-back") return true;
        // CloudFormation already rolled it back (a failed or cancelled update).
        if (r?.status === "failed" && s?.stackStatus.endsWith("ROLLBACK_COMPLETE")) return true;
        if (r?.status === "stopped") {
          failures.push(`${region}: the stack needs a human (${s?.message ?? "stopped"})`);
          return false;
        }
        if (!r || !s || !deployedOutcome(r.status)) {
          this.c.log(`[${region} ${this.c.env.stackName}] rollback: nothing this rollout changed`);
          return false;
        }
        this.c.log(`[${region} ${this.c.env.stackName}] rollback: ${reason}`);
        r.rollback = await rollbackStack({
          client: this.c.clientsFor(region).cloudFormation,
          region,
          stackName: this.c.env.stackName,
          snapshot: s.snapshot,
          createdInThisRun: s.createdInThisRun,
          changeSetName: s.changeSetName,
          terminationProtection: protectionFor(this.c.envName, this.c.env).terminationProtection,
          // The wave just deployed: its status is fresh, and the round trip saved is reaction time.
          ...(r.wave === this.lastWave ? { knownStatus: s.stackStatus } : {}),
          pollMs: this.pollMs,
          timeoutMs: this.c.env.timeoutMinutes * 60_000,
          log: this.c.log,
        });
        r.status = r.rollback.ok ? "rolled-back" : "rollback-failed";
        if (!r.rollback.ok) failures.push(`${region}: ${r.rollback.message}`);
        return r.rollback.ok;
      }),
    );
    if (failures.length > 0) throw new Error(failures.join("; "));
    return regions.filter((_, i) => outcomes[i]);
  }
}
