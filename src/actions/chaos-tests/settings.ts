import type { ChaosConfig } from "../../config/sections/verification.js";
import type { ChaosSettings } from "./experiment.js";

/** Chaos settings from dpra.yaml; the client token makes a retried StartExperiment idempotent per run. */
export function chaosSettingsFrom(config: ChaosConfig, experimentTemplateId: string, runId: string): ChaosSettings {
  return {
    experimentTemplateId,
    clientToken: `dpra-${runId}-gamma-chaos`.slice(0, 64),
    warmupMs: config.warmupSeconds * 1000,
    maxExperimentMs: config.maxExperimentMinutes * 60_000,
    pollMs: 10_000,
    maxSuccessRateDrop: config.maxSuccessRateDrop,
    maxLatencyIncrease: config.maxLatencyIncrease,
  };
}
