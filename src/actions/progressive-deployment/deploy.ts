// `deploy` (and `diff`) of an environment through the wave engine, reported region by region.
import { formatDuration } from "../../aws/cloudformation/poll.js";
import { digestOfReference } from "../../aws/ecr/images.js";
import type { AwsEnvironment } from "../../config/sections/environments.js";
import type { AlarmPollEvent, BreachReport, RegionClients } from "./cfn-region.js";
import { CfnWaves, describeFailures, type RegionReport } from "./cfn-waves.js";
import { rolloutRules, runRollout, type RolloutDecisions } from "./engine.js";
import { StepLog } from "./steps.js";
import { planWaves, waveLabel } from "./waves.js";

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
  /** Every successful alarm poll, during deploys and bakes. */
  onAlarmPoll?: (poll: AlarmPollEvent) => void;
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
  /** The engine's decisions (absent for a preview). */
  decisions?: RolloutDecisions;
  durationMs: number;
}

/**
 * Deploys an environment wave by wave through the wave engine (src/actions/progressive-deployment/
 * engine.ts), or with `preview` creates every region's change set wave by wave, executing nothing.
 */
export async function deployEnvironment(req: DeployEnvironmentRequest): Promise<EnvironmentDeployment> {
  const started = Date.now();
  const { env } = req;
  const waves = planWaves(env);
  const port = new CfnWaves({
    envName: req.envName,
    env,
    templateBody: req.templateBody,
    reference: req.image,
    clientsFor: req.clientsFor,
    log: req.log,
    runId: req.runId,
    ...(req.pollMs !== undefined ? { pollMs: req.pollMs } : {}),
    ...(req.onAlarmPoll ? { onAlarmPoll: req.onAlarmPoll } : {}),
  });
  const waveReports: WaveReport[] = waves.map((w) => ({
    name: w.name,
    regions: w.regions,
    status: "not-started",
    bakeMs: w.bakeMinutes * 60_000,
    insufficientData: [],
    missingAlarms: [],
  }));
  let status: EnvironmentStatus;
  let message: string | undefined;
  let decisions: RolloutDecisions | undefined;

  if (req.preview) {
    status = "preview";
    for (const [i, wave] of waves.entries()) {
      const regions = await port.previewWave(wave);
      waveReports[i]!.status = "preview";
      if (regions.some((r) => !["preview", "no-change"].includes(r.status))) {
        waveReports[i]!.status = "failed";
        status = "failed";
        message = `preview stopped in ${waveLabel(wave)}: ${describeFailures(regions)}`;
        break;
      }
    }
  } else {
    const log = new StepLog(
      () => new Date(),
      (step) => step,
    );
    const rollout = await runRollout(
      port,
      {
        envName: req.envName,
        digest: digestOfReference(req.image),
        waves,
        ...rolloutRules(env, req.templateBody),
      },
      log,
      { deploy: "progressive-deployment", alarms: "progressive-deployment", rollback: "progressive-deployment" },
    );
    decisions = rollout.decisions;
    status = decisions.verdict;
    if (rollout.message) message = port.breach ? breachMessage(port.breach, rollout.message) : rollout.message;
    for (const [i, w] of decisions.waves.entries()) {
      const bake = port.bakes.get(w.name);
      Object.assign(waveReports[i]!, { status: w.status, ...(bake ? { bakedMs: bake.bakedMs, insufficientData: bake.insufficientData, missingAlarms: bake.missing } : {}) });
    }
    for (const m of rollout.monitoring) {
      const report = waveReports.find((w) => w.regions.includes(m.region ?? ""));
      if (report) report.missingAlarms = [...new Set([...report.missingAlarms, ...m.missing])];
    }
  }

  const regions = waves.flatMap((w) => w.regions.map((region): RegionReport => port.reports.get(region) ?? { region, wave: w.name, status: "not-started" }));
  message ??= summary(regions);
  req.log(`== ${req.envName}: ${status}: ${message} (${formatDuration(Date.now() - started)})`);
  return {
    envName: req.envName,
    stackName: env.stackName,
    image: req.image,
    runId: req.runId,
    status,
    message,
    waves: waveReports,
    regions,
    ...(port.breach ? { breach: port.breach } : {}),
    ...(decisions ? { decisions } : {}),
    durationMs: Date.now() - started,
  };
}

function breachMessage(b: BreachReport, fallback: string): string {
  return b.phase === "bake" ? `alarm ${b.name} in ${b.region} went to ALARM during the bake of ${waveLabel({ name: b.wave })}: ${b.reason}` : fallback;
}

/** Region by region, without the status (the progress line and the summary print it before). */
function summary(regions: RegionReport[]): string {
  return regions.map((r) => `${r.region} ${r.status}${r.stack ? ` (${r.stack.stackStatus})` : ""}`).join(", ");
}
