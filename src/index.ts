/**
 * dpra: the AWS Deployment Pipeline Reference Architecture application pipeline as Dagger functions.
 *
 * Build, test, scan, package once, and promote the same image digest through Beta, Gamma and Prod.
 */
import { argument, Directory, func, object, Secret } from "@dagger.io/dagger";
import { DeployResult } from "./deploy/result.js";
import { runDeploy } from "./deploy/shell.js";
import { loadSourceConfig } from "./shell/source.js";

/** The dpra pipeline: each DPRA stage and action as a function, composed by build and release. */
@object()
export class Dpra {
  /**
   * Validate the application's dpra.yaml and print the resolved pipeline configuration as JSON:
   * the file's settings plus the defaults detected from the source. Fails listing every problem.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   */
  @func()
  async config(@argument({ defaultPath: "/examples/fruit-api" }) source: Directory): Promise<string> {
    return JSON.stringify(await loadSourceConfig(source), null, 2);
  }

  // --- deploy ---

  /**
   * Deploy the application's CloudFormation stack to an AWS environment (gamma or prod) from dpra.yaml:
   * one change set per region, regions of a wave concurrently, waves in order with a bake time watching
   * the environment's alarms. A failure or an alarm stops the rollout, rolls back the wave and fails the
   * call with the root cause. A rerun of the same deploy resumes its change sets and stack operations.
   *
   * @param env Environment to deploy: gamma or prod.
   * @param image Image reference pinned by digest (repository@sha256:...), passed to the template parameter `imageParameter`.
   * @param source Application source directory with dpra.yaml and the template (defaults to the bundled fruit-api example).
   * @param preview Create and describe the change sets only, without executing them (the input for approval).
   * @param runId Names the change sets (dpra-<runId>); defaults to a hash of environment, image, template and parameters, so a rerun resumes.
   * @param awsAccessKeyId AWS access key ID (e.g. env:AWS_ACCESS_KEY_ID); it assumes the environment's roleArn.
   * @param awsSecretAccessKey AWS secret access key (e.g. env:AWS_SECRET_ACCESS_KEY).
   * @param awsSessionToken AWS session token, for temporary keys.
   * @param awsWebIdentityToken OIDC token (e.g. from the CI) exchanged for a role instead of keys.
   * @param awsRoleArn Role the web-identity token is exchanged for first (defaults to the environment's roleArn).
   */
  @func({ cache: "never" })
  async deploy(
    env: string,
    image: string,
    @argument({ defaultPath: "/examples/fruit-api" }) source: Directory,
    preview = false,
    runId?: string,
    awsAccessKeyId?: Secret,
    awsSecretAccessKey?: Secret,
    awsSessionToken?: Secret,
    awsWebIdentityToken?: Secret,
    awsRoleArn?: string,
  ): Promise<DeployResult> {
    return runDeploy({ source, env, image, preview, runId, awsRoleArn, secrets: { awsAccessKeyId, awsSecretAccessKey, awsSessionToken, awsWebIdentityToken } });
  }

  /**
   * Show what a deploy to an environment would change: the change-set diff of every region (add,
   * modify, remove, replacement, nested stacks), without executing anything. The change sets stay, so a
   * following deploy of the same content executes exactly what was shown.
   *
   * @param env Environment to preview: gamma or prod.
   * @param image Image reference pinned by digest (repository@sha256:...).
   * @param source Application source directory with dpra.yaml and the template (defaults to the bundled fruit-api example).
   * @param runId Names the change sets; defaults to a hash of environment, image, template and parameters.
   * @param awsAccessKeyId AWS access key ID (e.g. env:AWS_ACCESS_KEY_ID); it assumes the environment's roleArn.
   * @param awsSecretAccessKey AWS secret access key (e.g. env:AWS_SECRET_ACCESS_KEY).
   * @param awsSessionToken AWS session token, for temporary keys.
   * @param awsWebIdentityToken OIDC token (e.g. from the CI) exchanged for a role instead of keys.
   * @param awsRoleArn Role the web-identity token is exchanged for first (defaults to the environment's roleArn).
   */
  @func({ cache: "never" })
  async diff(
    env: string,
    image: string,
    @argument({ defaultPath: "/examples/fruit-api" }) source: Directory,
    runId?: string,
    awsAccessKeyId?: Secret,
    awsSecretAccessKey?: Secret,
    awsSessionToken?: Secret,
    awsWebIdentityToken?: Secret,
    awsRoleArn?: string,
  ): Promise<string> {
    const result = await runDeploy({ source, env, image, preview: true, runId, awsRoleArn, secrets: { awsAccessKeyId, awsSecretAccessKey, awsSessionToken, awsWebIdentityToken } });
    return result.diff();
  }
}
