import type { Directory } from "@dagger.io/dagger";
import type { SyntheticsClient } from "@aws-sdk/client-synthetics";
import type { SyntheticsConfig } from "../../config/sections/verification.js";
import { deployAndRunCanary, type CanaryReport } from "../../aws/synthetics/canary.js";
import type { Clock } from "../../aws/synthetics/clock.js";
import { canarySpecFrom } from "../../aws/synthetics/spec.js";

/**
 * The canary of an environment: the script is read from the application source, the endpoint,
 * role and artifact location from the stack outputs (or dpra.yaml), then the canary is created or
 * updated (through a dry run) and one run is evaluated.
 */
export async function environmentCanary(
  source: Directory,
  config: SyntheticsConfig,
  stack: { name: string; outputs: Record<string, string> },
  client: SyntheticsClient,
  clock?: Clock,
): Promise<CanaryReport> {
  const script = await source.file(config.script).contents();
  const { spec, timings } = canarySpecFrom(config, script, stack);
  return deployAndRunCanary(client, spec, { clock, timings });
}
