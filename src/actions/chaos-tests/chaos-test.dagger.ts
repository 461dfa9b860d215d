import type { Directory } from "@dagger.io/dagger";
import type { FisClient } from "@aws-sdk/client-fis";
import { collectK6, k6Run } from "../capacity-tests/k6.dagger.js";
import type { Clock } from "../../aws/synthetics/clock.js";
import { runChaosExperiment, type ChaosReport, type ChaosSettings } from "./experiment.js";

/**
 * Gamma's chaos test: k6 (the capacity script, writing every request sample) runs against the
 * endpoint while the FIS experiment runs; the experiment is always stopped at the end.
 */
export async function gammaChaosTest(
  source: Directory,
  script: string,
  endpoint: string,
  fis: FisClient,
  settings: ChaosSettings,
  options: { runId?: string; clock?: Clock } = {},
): Promise<ChaosReport> {
  const opts = { script, endpoint, points: true };
  const startLoad = async () => {
    const out = await collectK6(k6Run(source, opts, options.runId ?? new Date().toISOString()), opts);
    if (out.points === undefined) throw new Error("k6 wrote no request samples (--out json)");
    return out.points;
  };
  return runChaosExperiment(fis, startLoad, settings, options.clock);
}
