/**
 * dpra: the AWS Deployment Pipeline Reference Architecture application pipeline as Dagger functions.
 *
 * Build, test, scan, package once, and promote the same image digest through Beta, Gamma and Prod.
 */
import { argument, Container, Directory, File, func, object, Secret } from "@dagger.io/dagger";
import { loadSourceConfig } from "./shell/source.js";
import { ensureRepositoryShell, promoteShell, publishShell } from "./publish/shell.js";
import { PublishResult } from "./publish/result.js";

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

  // --- package and store (ECR) ---

  /**
   * Create the ECR repository from dpra.yaml `artifact.ecr` (immutable tags, scan on push, encryption,
   * lifecycle policy, pull policy for the environment accounts), or check an existing one and report drift
   * as JSON. Drift is only reconciled with --apply; encryption drift needs a new repository.
   *
   * @param source Application source directory holding dpra.yaml (defaults to the bundled fruit-api example).
   * @param apply Reconcile drift on an existing repository instead of only reporting it.
   * @param awsAccessKeyId AWS access key ID (e.g. env:AWS_ACCESS_KEY_ID). Pass with --aws-secret-access-key.
   * @param awsSecretAccessKey AWS secret access key (e.g. env:AWS_SECRET_ACCESS_KEY).
   * @param awsSessionToken AWS session token of temporary keys (e.g. env:AWS_SESSION_TOKEN).
   * @param awsWebIdentityToken OIDC token of the CI (e.g. file:$AWS_WEB_IDENTITY_TOKEN_FILE); needs --aws-role-arn.
   * @param awsRoleArn Role the web-identity token is exchanged for.
   * @param awsProfileFile AWS shared credentials or config file (e.g. file:$HOME/.aws/credentials).
   * @param awsProfile Profile to use from --aws-profile-file (default: default).
   */
  @func({ cache: "never" })
  async ensureRepository(
    @argument({ defaultPath: "/examples/fruit-api" }) source: Directory,
    apply = false,
    awsAccessKeyId?: Secret,
    awsSecretAccessKey?: Secret,
    awsSessionToken?: Secret,
    awsWebIdentityToken?: Secret,
    awsRoleArn?: string,
    awsProfileFile?: Secret,
    awsProfile?: string,
  ): Promise<string> {
    return ensureRepositoryShell(source, apply, { awsAccessKeyId, awsSecretAccessKey, awsSessionToken, awsWebIdentityToken, awsRoleArn, awsProfileFile, awsProfile });
  }

  /**
   * Push the packaged image to Amazon ECR once, tagged with the git revision (and a release tag), and return
   * the digest-pinned reference. A rerun with the same image succeeds; a tag that holds another digest fails,
   * never overwritten. Then waits for the ECR scan, puts its findings through the policy gate, and keeps
   * the findings, the gate result, the provenance and the SBOM with the reports.
   *
   * @param image The packaged image from the build stage.
   * @param gitRevision Git revision of the source; the image tag.
   * @param source Application source directory holding dpra.yaml (defaults to the bundled fruit-api example).
   * @param releaseTag Additional tag, e.g. a version; set by digest, never moved.
   * @param runId Identifier of the pipeline run (CI run ID); names the AWS role sessions. Default: a time-based ID.
   * @param sbom CycloneDX SBOM of the image from the build stage, kept with the reports.
   * @param waitForScan Wait for the ECR scan on push and put its findings through the policy gate.
   * @param enforceGate Fail when the ECR scan findings fail the policy gate (the image stays stored; nothing is promoted).
   * @param awsAccessKeyId AWS access key ID (e.g. env:AWS_ACCESS_KEY_ID). Pass with --aws-secret-access-key.
   * @param awsSecretAccessKey AWS secret access key (e.g. env:AWS_SECRET_ACCESS_KEY).
   * @param awsSessionToken AWS session token of temporary keys (e.g. env:AWS_SESSION_TOKEN).
   * @param awsWebIdentityToken OIDC token of the CI (e.g. file:$AWS_WEB_IDENTITY_TOKEN_FILE); needs --aws-role-arn.
   * @param awsRoleArn Role the web-identity token is exchanged for.
   * @param awsProfileFile AWS shared credentials or config file (e.g. file:$HOME/.aws/credentials).
   * @param awsProfile Profile to use from --aws-profile-file (default: default).
   */
  @func({ cache: "never" })
  async publish(
    image: Container,
    gitRevision: string,
    @argument({ defaultPath: "/examples/fruit-api" }) source: Directory,
    releaseTag?: string,
    runId?: string,
    sbom?: File,
    waitForScan = true,
    enforceGate = true,
    awsAccessKeyId?: Secret,
    awsSecretAccessKey?: Secret,
    awsSessionToken?: Secret,
    awsWebIdentityToken?: Secret,
    awsRoleArn?: string,
    awsProfileFile?: Secret,
    awsProfile?: string,
  ): Promise<PublishResult> {
    return publishShell({
      image,
      gitRevision,
      source,
      waitForScan,
      enforceGate,
      secrets: { awsAccessKeyId, awsSecretAccessKey, awsSessionToken, awsWebIdentityToken, awsRoleArn, awsProfileFile, awsProfile },
      ...(releaseTag ? { releaseTag } : {}),
      ...(runId ? { runId } : {}),
      ...(sbom ? { sbom } : {}),
    });
  }

  /**
   * Promote a published image by digest to an environment: copy it to the environment's registry
   * (`artifact.promote.<env>`; ECR replication when configured, else a digest-preserving copy), then verify
   * the target digest equals the source digest. Environments without a copy pull from the central repository.
   * Prints the outcome as JSON.
   *
   * @param reference The digest-pinned reference publish returned.
   * @param env Environment to promote to: gamma or prod.
   * @param source Application source directory holding dpra.yaml (defaults to the bundled fruit-api example).
   * @param tag Tag to give the image in the target repository, e.g. the git revision.
   * @param runId Identifier of the pipeline run (CI run ID); names the AWS role sessions.
   * @param awsAccessKeyId AWS access key ID (e.g. env:AWS_ACCESS_KEY_ID). Pass with --aws-secret-access-key.
   * @param awsSecretAccessKey AWS secret access key (e.g. env:AWS_SECRET_ACCESS_KEY).
   * @param awsSessionToken AWS session token of temporary keys (e.g. env:AWS_SESSION_TOKEN).
   * @param awsWebIdentityToken OIDC token of the CI (e.g. file:$AWS_WEB_IDENTITY_TOKEN_FILE); needs --aws-role-arn.
   * @param awsRoleArn Role the web-identity token is exchanged for.
   * @param awsProfileFile AWS shared credentials or config file (e.g. file:$HOME/.aws/credentials).
   * @param awsProfile Profile to use from --aws-profile-file (default: default).
   */
  @func({ cache: "never" })
  async promote(
    reference: string,
    env: string,
    @argument({ defaultPath: "/examples/fruit-api" }) source: Directory,
    tag?: string,
    runId?: string,
    awsAccessKeyId?: Secret,
    awsSecretAccessKey?: Secret,
    awsSessionToken?: Secret,
    awsWebIdentityToken?: Secret,
    awsRoleArn?: string,
    awsProfileFile?: Secret,
    awsProfile?: string,
  ): Promise<string> {
    if (env !== "gamma" && env !== "prod") throw new Error(`promote: --env must be gamma or prod, got "${env}".`);
    return promoteShell({
      reference,
      env,
      source,
      secrets: { awsAccessKeyId, awsSecretAccessKey, awsSessionToken, awsWebIdentityToken, awsRoleArn, awsProfileFile, awsProfile },
      ...(tag ? { tag } : {}),
      ...(runId ? { runId } : {}),
    });
  }
}
