import { createHash } from "node:crypto";
import type { AwsEnvironment } from "../../config/sections/environments.js";
import type { StackProtectionOptions } from "../../aws/cloudformation/deployer.js";

/** Protection settings, with the prod defaults (termination protection and stack policy on). */
export function protectionFor(envName: string, env: AwsEnvironment): StackProtectionOptions {
  const isProd = envName === "prod";
  return {
    terminationProtection: env.protection.terminationProtection ?? isProd,
    stackPolicy: env.protection.stackPolicy ?? isProd,
    guardStatefulReplacement: env.protection.guardStatefulReplacement,
    statefulTypes: env.protection.statefulTypes,
    allowReplacement: env.protection.allowReplacement,
    detectDrift: env.protection.detectDrift,
    continueUpdateRollback: env.protection.continueUpdateRollback,
  };
}

/** Template parameters: the configured ones plus the image reference under `imageParameter`. */
export function stackParameters(env: AwsEnvironment, image: string): Record<string, string> {
  return { ...env.parameters, [env.imageParameter]: image };
}

/**
 * A run ID derived from what is deployed: the same environment, image, template, parameters, tags,
 * capabilities and rollback configuration give
 * the same change set name, so a rerun after a crash finds the change set of the run it continues.
 */
export function contentRunId(envName: string, env: AwsEnvironment, image: string, templateBody: string): string {
  const h = createHash("sha256");
  h.update(
    JSON.stringify({
      envName,
      stack: env.stackName,
      image,
      parameters: stackParameters(env, image),
      tags: env.tags,
      capabilities: env.capabilities,
      alarms: env.alarms,
      monitoringMinutes: env.monitoringMinutes,
      templateBody,
    }),
  );
  return h.digest("hex").slice(0, 20);
}
