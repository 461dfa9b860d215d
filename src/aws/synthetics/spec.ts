import type { SyntheticsConfig } from "../../config/sections/verification.js";
import { endpointFromOutputs } from "../../cloudformation/stack-facts.js";
import type { CanarySpec, CanaryTimings } from "./canary.js";
import { packageNodeCanary } from "./package.js";

/**
 * Builds the canary spec from dpra.yaml and the deployed stack: the endpoint, the execution role and
 * the artifact location come from the config or else from the stack outputs it names.
 */
export function canarySpecFrom(
  config: SyntheticsConfig,
  script: string | Uint8Array,
  stack: { name: string; outputs: Record<string, string> },
): { spec: CanarySpec; timings: Partial<CanaryTimings> } {
  const fromOutput = (key: string, what: string, field: string): string => {
    const v = stack.outputs[key]?.trim();
    if (!v) {
      throw new Error(`synthetics.${field} is not set and stack ${stack.name} has no output "${key}" with the canary's ${what}; set one of them`);
    }
    return v;
  };
  const executionRoleArn = config.executionRoleArn ?? fromOutput(config.executionRoleOutput, "execution role ARN", "executionRoleArn");
  const artifactS3Location = config.artifactS3Location ?? fromOutput(config.artifactsOutput, "artifact location (s3://bucket/prefix)", "artifactS3Location");
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(executionRoleArn)) {
    throw new Error(`the canary execution role "${executionRoleArn}" is not an IAM role ARN`);
  }
  if (!artifactS3Location.startsWith("s3://")) throw new Error(`the canary artifact location "${artifactS3Location}" must start with s3://`);
  return {
    spec: {
      name: config.name,
      code: packageNodeCanary(config.script, script, config.handler, config.runtime),
      runtimeFamily: config.runtime,
      runtimeVersion: config.runtimeVersion,
      schedule: config.schedule,
      executionRoleArn,
      artifactS3Location,
      environment: { BASE_URL: endpointFromOutputs(stack.outputs, config.endpointOutput, stack.name) },
      runTimeoutSeconds: config.runTimeoutSeconds,
    },
    timings: { runTimeoutMs: config.timeoutMinutes * 60_000 },
  };
}
