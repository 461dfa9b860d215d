// One region's stack update within a wave: the change set with the alarm set as rollback triggers,
// and the alarm watcher during the update, which cancels it on a breach and stops the wave.
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { watchAlarms, type AlarmBreach } from "../../aws/alarms/watch.js";
import { deployStack, type StackDeployResult } from "../../aws/cloudformation/deployer.js";
import { errorText } from "../../errors.js";
import { describeStack } from "../../aws/cloudformation/stack.js";
import { protectionFor, stackParameters } from "./stack-settings.js";
import { cloudFormationSdk } from "../../aws/sdk.js";
import type { AwsEnvironment } from "../../config/sections/environments.js";
import { regionAlarmSet, type RegionAlarmSet } from "../monitoring/alarm-set.js";
import { waveLabel, type Wave } from "./waves.js";

/** The AWS clients of one region, already holding the environment's credentials. */
export interface RegionClients {
  cloudFormation: CloudFormationClient;
  cloudWatch: CloudWatchClient;
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

export interface BreachReport extends AlarmBreach {
  region: string;
  wave: string;
  phase: "deploy" | "bake";
}

/** What every region's update of an environment shares. */
export interface RegionDeployContext {
  envName: string;
  env: AwsEnvironment;
  clientsFor(region: string): RegionClients;
  templateBody: string;
  /** Image reference pinned by digest. */
  image: string;
  runId: string;
  preview: boolean;
  pollMs: number;
  log(line: string): void;
  onAlarmPoll?(poll: AlarmPollEvent): void;
}

const DEPLOYED = new Set(["created", "updated"]);

/** The region's alarm set before its update: dpra.yaml's alarms and the stack's outputs as they are now (none without a stack). */
export async function alarmSetBeforeUpdate(c: Pick<RegionDeployContext, "env" | "clientsFor">, region: string): Promise<RegionAlarmSet> {
  const stack = await describeStack(c.clientsFor(region).cloudFormation, c.env.stackName);
  return regionAlarmSet(c.env, region, Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey ?? "", o.OutputValue ?? ""])));
}

/**
 * Deploys (or previews) the stack of one region. The alarm set (see alarmSetBeforeUpdate) is the
 * change set's rollback triggers and is watched while it executes.
 */
export async function deployRegion(
  c: RegionDeployContext,
  wave: Wave,
  region: string,
  alarms: RegionAlarmSet,
  waveStop: AbortController,
): Promise<{ stack: StackDeployResult; breach?: BreachReport }> {
  const { env } = c;
  const clients = c.clientsFor(region);
  if (alarms.watchedOnly.length > 0) {
    c.log(`[${region} ${env.stackName}] CloudFormation takes at most five rollback triggers: ${alarms.watchedOnly.join(", ")} watched by dpra only`);
  }
  const stop = new AbortController();
  let executing = false;
  let finished = false;
  const cancelUpdate = async (why: string) => {
    c.log(`[${region} ${env.stackName}] ${why}: cancelling the update`);
    try {
      await clients.cloudFormation.send(new (await cloudFormationSdk()).CancelUpdateStackCommand({ StackName: env.stackName }));
    } catch (err) {
      // A create cannot be cancelled (rollback triggers cover it), and a finished update needs the explicit rollback.
      c.log(`[${region} ${env.stackName}] CancelUpdateStack: ${errorText(err)}`);
    }
  };
  const onWaveStop = () => {
    if (executing && !finished) void cancelUpdate(`${waveLabel(wave)} is stopping`);
  };
  waveStop.signal.addEventListener("abort", onWaveStop, { once: true });
  let watcher: Promise<BreachReport | undefined> | undefined;
  const startWatcher = () => {
    executing = true;
    if (c.preview || alarms.names.length === 0 || watcher) return;
    watcher = watchAlarms({
      client: clients.cloudWatch,
      alarmNames: alarms.names,
      durationMs: env.timeoutMinutes * 60_000,
      pollMs: c.pollMs,
      signal: stop.signal,
      onPoll: (state) => c.onAlarmPoll?.({ region, phase: "deploy", at: Date.now(), ...state }),
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
    templateBody: c.templateBody,
    parameters: stackParameters(env, c.image),
    tags: { ...env.tags, "dpra:environment": c.envName },
    capabilities: env.capabilities,
    rollbackAlarmArns: alarms.triggers.map((a) => a.arn),
    monitoringMinutes: env.monitoringMinutes,
    runId: c.runId,
    preview: c.preview,
    protection: protectionFor(c.envName, env),
    pollMs: c.pollMs,
    waitInProgressMs: env.waitInProgressMinutes * 60_000,
    timeoutMs: env.timeoutMinutes * 60_000,
    log: c.log,
    onExecuting: startWatcher,
  });
  finished = true;
  stop.abort();
  if (!DEPLOYED.has(stack.outcome) && stack.outcome !== "no-change" && stack.outcome !== "preview") waveStop.abort();
  const breach = watcher ? await watcher : undefined;
  return { stack, ...(breach ? { breach } : {}) };
}

/** True when the region's update went through (created or updated). */
export function deployedOutcome(outcome: string): boolean {
  return DEPLOYED.has(outcome);
}
