import { cloudFormationSdk } from "../sdk.js";
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { AwsEnvironment } from "../../config/sections/environments.js";
import { alarmsForRegion } from "../alarms/arn.js";
import { watchAlarms, type AlarmBreach } from "../alarms/watch.js";
import { deployStack, type StackDeployResult } from "../cloudformation/deployer.js";
import { errorText } from "../../errors.js";
import { formatDuration } from "../cloudformation/poll.js";
import { rollbackStack, type RollbackResult } from "../cloudformation/rollback.js";
import { planWaves, protectionFor, stackParameters, type WavePlan } from "./plan.js";

/** The AWS clients of one region, already holding the environment's credentials. */
export interface RegionClients {
  cloudFormation: CloudFormationClient;
  cloudWatch: CloudWatchClient;
}

export interface DeployEnvironmentRequest {
  envName: string;
  env: AwsEnvironment;
  /** Builds (or returns cached) clients for a region; credentials are the caller's business. */
  clientsFor: (region: string) => RegionClients;
  templateBody: string;
  /** Image reference pinned by digest. */
  image: string;
  runId: string;
  preview: boolean;
  log: (line: string) => void;
  /** Poll interval override in ms (default: env.pollSeconds). */
  pollMs?: number;
  /** Every successful alarm poll, during deploys and bakes (for the release's monitoring summary). */
  onAlarmPoll?: (poll: AlarmPollEvent) => void;
}

/** One alarm poll of the rollout: which alarms were in which state, when, where. */
export interface AlarmPollEvent {
  region: string;
  phase: "deploy" | "bake";
  at: number;
  inAlarm: string[];
  insufficientData: string[];
  ok: string[];
}

export type RegionStatus = "created" | "updated" | "no-change" | "preview" | "failed" | "refused" | "stopped" | "rolled-back" | "rollback-failed" | "not-started";

export interface RegionReport {
  region: string;
  wave: string;
  status: RegionStatus;
  stack?: StackDeployResult;
  rollback?: RollbackResult;
}

export interface BreachReport extends AlarmBreach {
  region: string;
  wave: string;
  phase: "deploy" | "bake";
}

export interface WaveReport {
  name: string;
  regions: string[];
  status: "succeeded" | "no-change" | "preview" | "failed" | "rolled-back" | "not-started";
  bakeMs: number;
  /** Set when a bake ran: how long alarms were watched. */
  bakedMs?: number;
  insufficientData: string[];
  missingAlarms: string[];
}

export type EnvironmentStatus = "succeeded" | "no-change" | "preview" | "rolled-back" | "failed";

export interface EnvironmentDeployment {
  envName: string;
  stackName: string;
  image: string;
  runId: string;
  status: EnvironmentStatus;
  message: string;
  waves: WaveReport[];
  regions: RegionReport[];
  breach?: BreachReport;
  durationMs: number;
}

const DEPLOYED = new Set(["created", "updated"]);

/**
 * Deploys an environment wave by wave: the regions of a wave concurrently, waves in order, a bake
 * time after each wave that changed something. An alarm in ALARM during a deploy or a bake, or a
 * failed region, stops the rollout: the wave's changed stacks are rolled back and later waves are
 * not touched.
 */
export async function deployEnvironment(req: DeployEnvironmentRequest): Promise<EnvironmentDeployment> {
  const started = Date.now();
  const { env } = req;
  const pollMs = req.pollMs ?? env.pollSeconds * 1000;
  const waves = planWaves(env);
  const regions: RegionReport[] = [];
  const waveReports: WaveReport[] = waves.map((w) => ({ name: w.name, regions: w.regions, status: "not-started", bakeMs: w.bakeMs, insufficientData: [], missingAlarms: [] }));
  let breach: BreachReport | undefined;
  let stopMessage: string | undefined;

  for (const [i, wave] of waves.entries()) {
    const report = waveReports[i]!;
    req.log(`== ${req.envName} ${wave.name}: ${wave.regions.join(", ")}`);
    // The first failure or breach in a wave cancels the wave's other updates still running.
    const waveStop = new AbortController();
    const outcomes = await Promise.all(wave.regions.map((region) => deployRegion(req, wave, region, pollMs, waveStop)));
    for (const o of outcomes) {
      regions.push({ region: o.stack.region, wave: wave.name, status: o.stack.outcome, stack: o.stack });
      if (o.breach && !breach) breach = o.breach;
    }
    const waveRegions = regions.filter((r) => r.wave === wave.name);
    if (req.preview) {
      report.status = "preview";
      if (waveRegions.some((r) => !["preview", "no-change"].includes(r.status))) {
        report.status = "failed";
        stopMessage = `preview stopped in ${wave.name}: ${describeFailures(waveRegions)}`;
        break;
      }
      continue;
    }
    const failed = waveRegions.filter((r) => !DEPLOYED.has(r.status) && r.status !== "no-change");
    if (failed.length > 0 || breach) {
      stopMessage = breach
        ? `alarm ${breach.name} in ${breach.region} went to ALARM during the deploy of ${wave.name}: ${breach.reason}`
        : `${wave.name} failed: ${describeFailures(failed)}`;
      await rollbackWave(req, waveRegions, pollMs);
      report.status = "rolled-back";
      break;
    }
    if (waveRegions.every((r) => r.status === "no-change")) {
      report.status = "no-change";
      req.log(`== ${wave.name}: no changes; no bake needed`);
      continue;
    }
    const bake = await bakeWave(req, wave, pollMs);
    report.bakedMs = bake.bakedMs;
    report.insufficientData = bake.insufficientData;
    report.missingAlarms = bake.missing;
    if (bake.breach) {
      breach = bake.breach;
      stopMessage = `alarm ${breach.name} in ${breach.region} went to ALARM during the bake of ${wave.name}: ${breach.reason}`;
      req.log(`== ${stopMessage}; rolling back ${wave.name}`);
      await rollbackWave(req, waveRegions, pollMs);
      report.status = "rolled-back";
      break;
    }
    if (bake.missing.length > 0) {
      stopMessage = `alarms not found after deploying ${wave.name}: ${bake.missing.join(", ")}. The rollout cannot be watched; define them in the template or fix environments.${req.envName}.alarms.`;
      report.status = "failed";
      break;
    }
    report.status = "succeeded";
  }

  for (const wave of waves) {
    for (const region of wave.regions) {
      if (!regions.some((r) => r.region === region)) regions.push({ region, wave: wave.name, status: "not-started" });
    }
  }
  const status = overallStatus(req.preview, regions, stopMessage);
  const message = stopMessage ?? summary(status, regions);
  req.log(`== ${req.envName}: ${status}: ${message} (${formatDuration(Date.now() - started)})`);
  return { envName: req.envName, stackName: env.stackName, image: req.image, runId: req.runId, status, message, waves: waveReports, regions, breach, durationMs: Date.now() - started };
}

async function deployRegion(
  req: DeployEnvironmentRequest,
  wave: WavePlan,
  region: string,
  pollMs: number,
  waveStop: AbortController,
): Promise<{ stack: StackDeployResult; breach?: BreachReport }> {
  const { env } = req;
  const clients = req.clientsFor(region);
  const alarms = alarmsForRegion(env.alarms, region, env.account);
  const stop = new AbortController();
  let executing = false;
  let finished = false;
  const cancelUpdate = async (why: string) => {
    req.log(`[${region} ${env.stackName}] ${why}: cancelling the update`);
    try {
      await clients.cloudFormation.send(new (await cloudFormationSdk()).CancelUpdateStackCommand({ StackName: env.stackName }));
    } catch (err) {
      // A create cannot be cancelled (rollback triggers cover it), and a finished update needs the explicit rollback.
      req.log(`[${region} ${env.stackName}] CancelUpdateStack: ${errorText(err)}`);
    }
  };
  const onWaveStop = () => {
    if (executing && !finished) void cancelUpdate(`${wave.name} is stopping`);
  };
  waveStop.signal.addEventListener("abort", onWaveStop, { once: true });
  let watcher: Promise<BreachReport | undefined> | undefined;
  const startWatcher = () => {
    executing = true;
    if (req.preview || alarms.length === 0 || watcher) return;
    watcher = watchAlarms({
      client: clients.cloudWatch,
      alarmNames: alarms.map((a) => a.name),
      durationMs: env.timeoutMinutes * 60_000,
      pollMs,
      signal: stop.signal,
      onPoll: (state) => req.onAlarmPoll?.({ region, phase: "deploy", at: Date.now(), ...state }),
    }).then(async (w) => {
      if (!w.breached) return undefined;
      waveStop.signal.removeEventListener("abort", onWaveStop);
      await cancelUpdate(`alarm ${w.breached.name} is in ALARM during the deploy`);
      waveStop.abort();
      return { ...w.breached, region, wave: wave.name, phase: "deploy" as const };
    });
  };
  const stack = await deployStack({
    client: clients.cloudFormation,
    region,
    stackName: env.stackName,
    templateBody: req.templateBody,
    parameters: stackParameters(env, req.image),
    tags: { ...env.tags, "dpra:environment": req.envName },
    capabilities: env.capabilities,
    rollbackAlarmArns: alarms.map((a) => a.arn),
    monitoringMinutes: env.monitoringMinutes,
    runId: req.runId,
    preview: req.preview,
    protection: protectionFor(req.envName, env),
    pollMs,
    waitInProgressMs: env.waitInProgressMinutes * 60_000,
    timeoutMs: env.timeoutMinutes * 60_000,
    log: req.log,
    onExecuting: startWatcher,
  });
  finished = true;
  stop.abort();
  if (!DEPLOYED.has(stack.outcome) && stack.outcome !== "no-change" && stack.outcome !== "preview") waveStop.abort();
  const breach = watcher ? await watcher : undefined;
  return { stack, breach };
}

async function bakeWave(
  req: DeployEnvironmentRequest,
  wave: WavePlan,
  pollMs: number,
): Promise<{ breach?: BreachReport; bakedMs: number; insufficientData: string[]; missing: string[] }> {
  const { env } = req;
  const started = Date.now();
  const perRegion = wave.regions.map((region) => ({ region, names: alarmsForRegion(env.alarms, region, env.account).map((a) => a.name) }));
  if (perRegion.every((r) => r.names.length === 0)) {
    req.log(`== ${wave.name}: no alarms configured for ${req.envName}; nothing to watch during the bake`);
    return { bakedMs: 0, insufficientData: [], missing: [] };
  }
  req.log(`== ${wave.name}: baking ${formatDuration(wave.bakeMs)}, watching ${perRegion.map((r) => `${r.region}: ${r.names.join(", ")}`).join("; ")}`);
  const stop = new AbortController();
  let breach: BreachReport | undefined;
  // React to the first breach at once: do not wait for the other regions' in-flight polls.
  let onBreach: () => void = () => undefined;
  const firstBreach = new Promise<void>((resolve) => (onBreach = resolve));
  const watches = Promise.all(
    perRegion.map(async ({ region, names }) => {
      const w = await watchAlarms({
        client: req.clientsFor(region).cloudWatch,
        alarmNames: names,
        durationMs: wave.bakeMs,
        pollMs,
        signal: stop.signal,
        onPoll: (state) => req.onAlarmPoll?.({ region, phase: "bake", at: Date.now(), ...state }),
      });
      if (w.breached && !breach) {
        breach = { ...w.breached, region, wave: wave.name, phase: "bake" };
        stop.abort();
        onBreach();
      }
      if (w.failedPolls > 0) req.log(`== ${wave.name} ${region}: ${w.failedPolls} alarm poll(s) failed during the bake`);
      return w;
    }),
  );
  const results = await Promise.race([watches, firstBreach.then(() => [])]);
  return {
    breach,
    bakedMs: Date.now() - started,
    insufficientData: results.flatMap((r) => r.insufficientData),
    missing: results.flatMap((r) => r.missing),
  };
}

/** Rolls back every stack of the wave that this run changed, concurrently. */
async function rollbackWave(req: DeployEnvironmentRequest, waveRegions: RegionReport[], pollMs: number): Promise<void> {
  const { env } = req;
  await Promise.all(
    waveRegions.map(async (r) => {
      const s = r.stack;
      if (!s || !DEPLOYED.has(r.status)) return;
      r.rollback = await rollbackStack({
        client: req.clientsFor(r.region).cloudFormation,
        region: r.region,
        stackName: env.stackName,
        snapshot: s.snapshot,
        createdInThisRun: s.createdInThisRun,
        changeSetName: s.changeSetName,
        terminationProtection: protectionFor(req.envName, env).terminationProtection,
        knownStatus: s.stackStatus,
        pollMs,
        timeoutMs: env.timeoutMinutes * 60_000,
        log: req.log,
      });
      r.status = r.rollback.ok ? "rolled-back" : "rollback-failed";
    }),
  );
}

function describeFailures(regions: RegionReport[]): string {
  return regions
    .filter((r) => r.stack && !["created", "updated", "no-change", "preview"].includes(r.status))
    .map((r) => `${r.region}: ${r.stack?.message ?? r.status}`)
    .join("; ");
}

function overallStatus(preview: boolean, regions: RegionReport[], stopMessage: string | undefined): EnvironmentStatus {
  if (stopMessage) {
    if (preview || regions.some((r) => r.status === "rollback-failed" || r.status === "stopped")) return "failed";
    const undone = regions.some((r) => r.status === "rolled-back" || (r.status === "failed" && r.stack?.stackStatus.endsWith("ROLLBACK_COMPLETE")));
    return undone ? "rolled-back" : "failed";
  }
  if (preview) return "preview";
  if (regions.every((r) => r.status === "no-change")) return "no-change";
  return "succeeded";
}

function summary(status: EnvironmentStatus, regions: RegionReport[]): string {
  return `${status}: ${regions.map((r) => `${r.region} ${r.status}${r.stack ? ` (${r.stack.stackStatus})` : ""}`).join(", ")}`;
}
