import type { FisClient } from "@aws-sdk/client-fis";
import { parseK6Points, windowStats, type WindowStats } from "../capacity-tests/points.js";
import { systemClock, type Clock } from "../../aws/synthetics/clock.js";
import { errorText } from "../../errors.js";

export interface ChaosSettings {
  experimentTemplateId: string;
  /** Idempotency token for StartExperiment (e.g. the pipeline run ID + stage). */
  clientToken: string;
  /** Load runs this long before the experiment starts: the window the fault window is compared with. */
  warmupMs: number;
  /** The experiment is stopped if it still runs after this long. */
  maxExperimentMs: number;
  pollMs: number;
  /** Largest allowed drop of the success rate, in points (0.05 = from 100% to 95%). */
  maxSuccessRateDrop: number;
  /** Largest allowed relative increase of p95 latency (0.5 = +50%). */
  maxLatencyIncrease: number;
}

export interface ChaosReport {
  experimentId: string;
  experimentStatus: string;
  experimentReason?: string;
  stopped: { requested: boolean; error?: string };
  before: WindowStats;
  during: WindowStats;
  checks: { name: string; passed: boolean; detail: string }[];
  passed: boolean;
}

type FisSdk = typeof import("@aws-sdk/client-fis");
let fisSdk: Promise<FisSdk> | undefined;
/** Loaded on first use: the Dagger runtime imports every file under src/ on each call. */
function loadFisSdk(): Promise<FisSdk> {
  fisSdk ??= import("@aws-sdk/client-fis");
  return fisSdk;
}

const TERMINAL = new Set(["completed", "stopped", "failed", "cancelled"]);

/**
 * Runs an AWS FIS experiment while the load (k6, injected) runs, then compares the fault window with
 * the window before it. The experiment is always stopped at the end, also when anything fails.
 *
 * @param startLoad starts the load and resolves to the k6 request samples (k6 `--out json` lines); its
 *   duration must cover the warm-up and the experiment.
 */
export async function runChaosExperiment(fis: FisClient, startLoad: () => Promise<string>, settings: ChaosSettings, clock: Clock = systemClock): Promise<ChaosReport> {
  const { GetExperimentCommand, StartExperimentCommand, StopExperimentCommand } = await loadFisSdk();
  const loadStartedAt = clock.now();
  let loadFinished = false;
  const load = startLoad().finally(() => {
    loadFinished = true;
  });
  // Observed later; this keeps an early failure from being an unhandled rejection meanwhile.
  load.catch(() => undefined);

  await clock.sleep(settings.warmupMs);
  if (loadFinished) {
    await load; // surfaces a load failure as is
    throw new Error("the load finished before the experiment started: make the k6 script run longer than the warm-up plus the experiment");
  }

  let experimentId: string | undefined;
  let status = "pending";
  let reason: string | undefined;
  const stopped: ChaosReport["stopped"] = { requested: false };
  let faultStart = clock.now();
  let faultEnd: number | undefined;
  let failure: unknown;
  try {
    const started = await fis.send(
      new StartExperimentCommand({
        experimentTemplateId: settings.experimentTemplateId,
        clientToken: settings.clientToken,
        tags: { "dpra:purpose": "gamma-resilience-test" },
      }),
    );
    experimentId = started.experiment?.id;
    if (!experimentId) throw new Error(`StartExperiment for template ${settings.experimentTemplateId} answered without an experiment id`);
    status = started.experiment?.state?.status ?? status;
    faultStart = started.experiment?.startTime?.getTime() ?? clock.now();
    const deadline = clock.now() + settings.maxExperimentMs;
    while (!TERMINAL.has(status) && clock.now() < deadline) {
      await clock.sleep(settings.pollMs);
      const got = await fis.send(new GetExperimentCommand({ id: experimentId }));
      status = got.experiment?.state?.status ?? status;
      reason = got.experiment?.state?.reason ?? reason;
    }
    faultEnd = clock.now();
  } catch (e) {
    failure = e;
  }
  // Always stop: on success, on a timeout and on any error above.
  if (experimentId) {
    stopped.requested = true;
    try {
      const res = await fis.send(new StopExperimentCommand({ id: experimentId }));
      status = TERMINAL.has(status) ? status : (res.experiment?.state?.status ?? "stopping");
    } catch (e) {
      stopped.error = errorText(e);
      // Stopping an experiment that already ended is refused; that is fine. Anything else is not.
      if (!TERMINAL.has(status)) {
        const also = failure === undefined ? "" : ` after ${errorText(failure)}`;
        throw new Error(`StopExperiment ${experimentId} failed (${stopped.error})${also}: stop it by hand in the FIS console`, { cause: e });
      }
    }
  }
  if (failure !== undefined || faultEnd === undefined) throw failure;

  const series = parseK6Points(await load, "k6 request samples");
  const before = windowStats(series, loadStartedAt, faultStart);
  const during = windowStats(series, faultStart, faultEnd + 1);
  const checks: ChaosReport["checks"] = [];
  if (status === "failed") {
    checks.push({ name: "experiment", passed: false, detail: `the experiment failed: ${reason ?? "no reason given"} (no fault may have been injected)` });
  }
  if (before.requests === 0 || during.requests === 0) {
    checks.push({
      name: "load",
      passed: false,
      detail: `no requests ${before.requests === 0 ? "before" : "during"} the fault window: the load did not cover both windows`,
    });
  } else {
    const drop = before.successRate - during.successRate;
    checks.push({
      name: "success rate",
      passed: drop <= settings.maxSuccessRateDrop,
      detail: `${(during.successRate * 100).toFixed(2)}% during vs ${(before.successRate * 100).toFixed(2)}% before (max drop ${(settings.maxSuccessRateDrop * 100).toFixed(1)} points)`,
    });
    const increase = before.p95Ms > 0 ? during.p95Ms / before.p95Ms - 1 : 0;
    checks.push({
      name: "p95 latency",
      passed: increase <= settings.maxLatencyIncrease,
      detail: `${during.p95Ms.toFixed(1)} ms during vs ${before.p95Ms.toFixed(1)} ms before (+${(increase * 100).toFixed(0)}%, max +${(settings.maxLatencyIncrease * 100).toFixed(0)}%)`,
    });
  }
  return {
    experimentId: experimentId as string,
    experimentStatus: status,
    experimentReason: reason,
    stopped,
    before,
    during,
    checks,
    passed: checks.every((c) => c.passed),
  };
}
