// The one wave engine: `deploy`, Gamma and Prod all run their waves through `runRollout`. Per wave:
// deploy (the port watches the alarm set during the update), judge the alarms, bake, and the stage's
// own steps (hooks); the first failure stops the rollout and rolls back what the rollback scope says.
import type { AwsEnvironment, RollbackScope } from "../../config/sections/environments.js";
import type { StepLog } from "./steps.js";
import { errorMessage } from "../../errors.js";
import type { WatchObservations, WatchSummary } from "../monitoring/watch-summary.js";
import { declaredAlarmOutputs, expectedAlarms, noAlarmsRule, type ExpectedAlarm } from "../monitoring/alarm-set.js";
import { judgeAlarms, summarise } from "../monitoring/judge.js";
import { waveLabel, type Wave } from "./waves.js";

/** What the deploy of one region reports: the stack as it is after the update, and what was watched. */
export interface StackDeployment {
  stackName: string;
  region: string;
  outputs: Record<string, string>;
  parameters: Record<string, string>;
  /** The watcher's observations during the deploy (and, once baked, the bake). */
  watches: WatchObservations[];
  /** False when the update changed nothing (no bake, nothing to roll back); absent means changed. */
  changed?: boolean;
}

/** The CloudFormation side of the engine (src/actions/progressive-deployment/cfn-waves.ts; tests inject fakes). */
export interface WavePort {
  /** Deploys every region of the wave, watching the alarm set during the update; throws when the wave failed. */
  deployWave(wave: Wave, digest: string): Promise<StackDeployment[]>;
  /** Watches the alarms after the wave; resolves early on a breach. */
  bakeWave(wave: Wave, alarmsByRegion: Record<string, string[]>, bakeMs: number): Promise<WatchObservations[]>;
  /** Rolls the regions back (the failing wave's first); returns those now on their previous version. */
  rollback(regions: string[], reason: string): Promise<string[] | void>;
}

/** A stage's own steps around each wave; each returns a reason to stop the rollout, or undefined. */
export interface WaveHooks {
  beforeDeploy?(wave: Wave): Promise<string | undefined>;
  afterDeploy?(wave: Wave, deployments: StackDeployment[]): Promise<string | undefined>;
  beforeBake?(wave: Wave, bakeMs: number): Promise<void>;
  afterBake?(wave: Wave, deployments: StackDeployment[]): Promise<string | undefined>;
}

export interface RolloutSettings {
  envName: string;
  /** The digest every stack must end up running. */
  digest: string;
  waves: Wave[];
  /** dpra.yaml's alarms of the environment. */
  configuredAlarms: readonly string[];
  /** The template's outputs that follow the alarm convention; undefined when not known before the deploy. */
  declaredAlarmOutputs?: readonly string[];
  allowNoAlarms?: { reason: string };
  rollbackScope: RollbackScope;
}

export type RolloutVerdict = "succeeded" | "no-change" | "rolled-back" | "failed";
export type WaveStatus = "succeeded" | "no-change" | "failed" | "rolled-back" | "not-started";

/** The engine's decisions, the same whichever entry point ran it (the parity test compares them). */
export interface RolloutDecisions {
  waves: Array<{ name: string; regions: string[]; status: WaveStatus; baked: boolean }>;
  /** The alarm set checked after each region's deploy, by region. */
  alarmsChecked: Record<string, string[]>;
  rollbackScope: RollbackScope;
  /** Regions back on their previous version after the stop, the failing wave's first. */
  rolledBack: string[];
  verdict: RolloutVerdict;
  /** The short reason the rollout stopped. */
  stoppedBy?: string;
}

export interface RolloutResult {
  decisions: RolloutDecisions;
  deployments: StackDeployment[];
  /** Regions this rollout changed, in deploy order. */
  changed: string[];
  monitoring: WatchSummary[];
  /** Why it stopped, with the detail (the failed step's error). */
  message?: string;
}

/** The environment's alarm and rollback rules, read the same way by `deploy`, Gamma and Prod. */
export function rolloutRules(env: AwsEnvironment, templateBody: string): Pick<RolloutSettings, "configuredAlarms" | "declaredAlarmOutputs" | "allowNoAlarms" | "rollbackScope"> {
  const declared = declaredAlarmOutputs(templateBody);
  return {
    configuredAlarms: env.alarms,
    ...(declared ? { declaredAlarmOutputs: declared } : {}),
    ...(env.allowNoAlarms ? { allowNoAlarms: env.allowNoAlarms } : {}),
    rollbackScope: env.rollbackScope,
  };
}

/**
 * The DPRA action each of the engine's own steps is recorded under: in Prod every one is the
 * progressive deployment; Gamma, one wave, records its deploy as deploy-software and the alarm
 * checks as monitoring; `deploy` records them all as progressive-deployment.
 */
export interface RolloutActions<A extends string> {
  /** A wave's deploy, and the waves not started after a stop. */
  deploy: A;
  /** The alarm checks: no alarms, during the traffic shift, the bake. */
  alarms: A;
  /** The rollback after a stop. */
  rollback: A;
}

/** The step log the engine records in: a stage's, typed by its DPRA actions. */
export type RolloutLog<A extends string> = Pick<StepLog<A>, "now" | "record" | "skip" | "run">;

/** Runs the waves in order through `port`, recording every step in `log` under `actions`. */
export async function runRollout<A extends string>(
  port: WavePort,
  s: RolloutSettings,
  log: RolloutLog<A>,
  actions: RolloutActions<A>,
  hooks: WaveHooks = {},
): Promise<RolloutResult> {
  const decisions: RolloutDecisions = {
    waves: s.waves.map((w) => ({ name: w.name, regions: [...w.regions], status: "not-started", baked: false })),
    alarmsChecked: {},
    rollbackScope: s.rollbackScope,
    rolledBack: [],
    verdict: "succeeded",
  };
  const result: RolloutResult = { decisions, deployments: [], changed: [], monitoring: [] };
  const changedByWave: string[][] = s.waves.map(() => []);
  const noAlarms = noAlarmsRule(s.envName, s.allowNoAlarms);

  // `why` is the short reason (the rollback's), `message` the account for the result (default: `why`).
  const stop = async (i: number, why: string, message = why): Promise<RolloutResult> => {
    for (const w of s.waves.slice(i + 1)) log.skip(actions.deploy, waveLabel(w), `not started: ${why}`);
    decisions.waves[i]!.status = "failed";
    decisions.stoppedBy = why;
    decisions.verdict = "failed";
    result.message = message;
    const waves = s.rollbackScope === "failed-wave" ? [i] : changedByWave.slice(0, i + 1).map((_, j) => i - j);
    const regions = waves.flatMap((j) => [...changedByWave[j]!].reverse());
    if (regions.length === 0) return result;
    const startedAt = log.now().toISOString();
    try {
      const back = (await port.rollback(regions, why)) ?? regions;
      decisions.rolledBack = back;
      for (const j of waves) if (changedByWave[j]!.some((r) => back.includes(r))) decisions.waves[j]!.status = "rolled-back";
      if (back.length > 0) decisions.verdict = "rolled-back";
      const detailText = back.length > 0 ? `rolled back ${back.join(", ")}: ${why}` : `nothing to roll back in ${regions.join(", ")}: ${why}`;
      log.record({ modelAction: actions.rollback, name: "rollback", status: "passed", detail: detailText, startedAt, endedAt: log.now().toISOString() });
    } catch (e) {
      log.record({
        modelAction: actions.rollback,
        name: "rollback",
        status: "failed",
        detail: `ROLLBACK FAILED (${errorMessage(e)}): check ${regions.join(", ")} by hand`,
        startedAt,
        endedAt: log.now().toISOString(),
      });
    }
    return result;
  };

  // Known before any change: no alarm in dpra.yaml and none the template outputs.
  if (s.configuredAlarms.length === 0 && s.declaredAlarmOutputs?.length === 0) {
    log.record({ modelAction: actions.alarms, name: "alarms", status: noAlarms.status, detail: noAlarms.detail });
    if (noAlarms.status === "failed") {
      for (const w of s.waves) log.skip(actions.deploy, waveLabel(w), "not started: no alarms");
      return { ...result, decisions: { ...decisions, verdict: "failed", stoppedBy: "no alarms" }, message: noAlarms.detail };
    }
  }

  for (const [i, wave] of s.waves.entries()) {
    const label = waveLabel(wave);
    const bakeMs = wave.bakeMinutes * 60_000;
    const before = await hooks.beforeDeploy?.(wave);
    if (before) return stop(i, before);

    const deployed = await log.run(
      actions.deploy,
      `${label}: deploy`,
      () => port.deployWave(wave, s.digest),
      (ds) => ({
        status: "passed",
        detail: ds.map((d) => `${d.stackName} in ${d.region}${d.changed === false ? " (no changes)" : ""}`).join(", "),
      }),
    );
    if (!deployed.ok || !deployed.value) {
      // Which regions of the wave changed is the port's to say: it is asked to roll back them all.
      changedByWave[i] = [...wave.regions];
      return stop(i, `${label} deploy failed`, errorMessage(deployed.error));
    }
    const deployments = deployed.value;
    result.deployments.push(...deployments);
    changedByWave[i] = deployments.filter((d) => d.changed !== false).map((d) => d.region);
    const unreported = wave.regions.filter((r) => !deployments.some((d) => d.region === r));
    changedByWave[i]!.push(...unreported);
    result.changed.push(...changedByWave[i]!);
    if (unreported.length > 0) {
      log.record({ modelAction: actions.deploy, name: `${label}: deploy`, status: "failed", detail: `no deployment reported for ${unreported.join(", ")}` });
      return stop(i, `${label} did not report every region`);
    }
    const after = await hooks.afterDeploy?.(wave, deployments);
    if (after) return stop(i, after);

    // The alarm set after the update: dpra.yaml's plus what the stack outputs now.
    const expectedByRegion = new Map<string, ExpectedAlarm[]>();
    for (const d of deployments) {
      const expected = expectedAlarms(d.outputs, s.configuredAlarms);
      expectedByRegion.set(d.region, expected);
      decisions.alarmsChecked[d.region] = expected.map((e) => e.name);
      if (d.changed === false) continue;
      const during = summarise(d.watches, () => expected, bakeMs);
      result.monitoring.push(...during);
      const judged = await log.run(
        actions.alarms,
        "alarms during traffic shift",
        async () => judgeAlarms(expected, during, noAlarms),
        (j) => ({ status: j.status, detail: j.detail }),
        d.region,
      );
      if (!judged.ok) {
        const why = judged.value?.why;
        const reason =
          why === "breached"
            ? `alarm during the traffic shift in ${d.region}`
            : why === "no-alarms"
              ? `no alarms in ${d.region}`
              : `alarms missing after the deploy in ${d.region}`;
        return stop(i, reason, `${reason}: ${(judged.value?.detail ?? "").split("\n").slice(0, 4).join("; ")}`);
      }
    }

    if (changedByWave[i]!.length === 0) {
      decisions.waves[i]!.status = "no-change";
      log.record({ modelAction: actions.alarms, name: `${label}: bake ${wave.bakeMinutes} min`, status: "skipped", detail: "no changes in this wave: no bake needed" });
    } else {
      const alarmsByRegion = Object.fromEntries(wave.regions.map((r) => [r, (expectedByRegion.get(r) ?? []).map((e) => e.name)]));
      let sums: WatchSummary[] = [];
      const baked = await log.run(
        actions.alarms,
        `${label}: bake ${wave.bakeMinutes} min`,
        async () => {
          await hooks.beforeBake?.(wave, bakeMs);
          const observations = await port.bakeWave(wave, alarmsByRegion, bakeMs);
          for (const o of observations) deployments.find((d) => d.region === o.region)?.watches.push(o);
          return summarise(observations, (r) => expectedByRegion.get(r ?? "") ?? [], bakeMs);
        },
        (summaries) => {
          sums = summaries;
          result.monitoring.push(...summaries);
          const j = judgeAlarms([...expectedByRegion.values()].flat(), summaries, noAlarms, wave.regions.length);
          return { status: j.status, detail: j.detail };
        },
      );
      decisions.waves[i]!.baked = baked.ok;
      if (!baked.ok) {
        const missing = sums.some((m) => m.missing.length > 0) && !sums.some((m) => m.breached.length > 0);
        const why = missing ? `alarms missing during the bake of ${label}` : `alarm breached during the bake of ${label}`;
        return stop(i, why, baked.error ? `${why}: ${errorMessage(baked.error)}` : why);
      }
    }

    const done = await hooks.afterBake?.(wave, deployments);
    if (done) return stop(i, done);
    if (decisions.waves[i]!.status === "not-started") decisions.waves[i]!.status = "succeeded";
  }
  decisions.verdict = decisions.waves.every((w) => w.status === "no-change") ? "no-change" : "succeeded";
  return result;
}
