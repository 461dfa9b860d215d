/**
 * dpra: the AWS Deployment Pipeline Reference Architecture application pipeline as Dagger functions.
 *
 * Build, test, scan, package once, and promote the same image digest through Beta, Gamma and Prod.
 */
import { argument, check, Container, Directory, File, func, object, Secret } from "@dagger.io/dagger";
import { CapacityTestResult, capacityTestFunction } from "./actions/capacity/dagger.js";
import { canaryFunction } from "./aws/synthetics/dagger.js";
import { DeployResult } from "./deploy/result.js";
import { awsEnvironmentOf, runDeploy } from "./deploy/shell.js";
import { buildRunPlan, parseTargetEnvironment } from "./pipeline/plan.js";
import { parsePlanFormat, renderPlan } from "./pipeline/render.js";
import { betaOnly, release } from "./release/release.js";
import { realBuild } from "./release/build-runner.js";
import { ReleaseResult } from "./release/result.js";
import { assertContract } from "./config/contract-check.js";
import { AWS_CONTRACT_ENVIRONMENTS } from "./config/contract.js";
import { directoryContractSource, loadSourceConfig } from "./shell/source.js";
import { ensureRepositoryShell, promoteShell, publishShell } from "./publish/shell.js";
import { PublishResult } from "./publish/result.js";
import { actionCheck, actionReport, buildStage, packageOnly, sbomFile } from "./build/api.js";
import { ActionReport, BuildResult } from "./build/objects.js";

/** Build stage: locally installed dependencies are never part of the source; the build installs its own. */
const SOURCE_IGNORE = ["**/node_modules"];

/** The dpra pipeline: each DPRA stage and action as a function, composed by build and release. */
@object()
export class Dpra {
  /**
   * Validate the application's dpra.yaml and print the resolved pipeline configuration as JSON:
   * the file's settings plus the defaults detected from the source. Fails listing every problem,
   * including a gamma or prod template that breaks the config↔template contract (parameters,
   * outputs, deployment.strategy).
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   */
  @func()
  async config(@argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory): Promise<string> {
    const config = await loadSourceConfig(source);
    await assertContract(config, AWS_CONTRACT_ENVIRONMENTS, directoryContractSource(source));
    return JSON.stringify(config, null, 2);
  }

  // --- build stage ---
  // Verdicts depend on the day (allowlist expiry) and on vulnerability data, so the functions that
  // judge are cached for one session only; the image and SBOM functions keep the engine's cache.

  /**
   * The build stage: compile, unit tests, lint and type check, IaC checks, secrets (gitleaks), SAST
   * (semgrep), SCA and SBOM (trivy), all at once, and the image packaged once and scanned. Fails
   * listing every blocking finding unless --no-fail.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   * @param revision Commit the source is at, recorded as the image's org.opencontainers.image.revision.
   * @param sourceUrl Repository URL, recorded as the image's org.opencontainers.image.source.
   * @param noFail Return the result even when the policy blocks, instead of failing.
   * @param sourceDateEpoch Commit time in seconds since 1970 (git log -1 --format=%ct): the image's created label and SOURCE_DATE_EPOCH. Default 0, never the build time, so the same revision gives the same digest.
   */
  @func({ cache: "session" })
  async build(
    @argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory,
    revision: string = "",
    sourceUrl: string = "",
    noFail: boolean = false,
    sourceDateEpoch: number = 0,
  ): Promise<BuildResult> {
    return buildStage(source, { revision, sourceUrl, sourceDateEpoch }, noFail);
  }

  /**
   * Run the unit tests and read their JUnit XML: counts, failing test names. A failing test blocks.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   */
  @func({ cache: "session" })
  async unitTests(@argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory): Promise<ActionReport> {
    return actionReport("unit-tests", source);
  }

  /**
   * Run the project's linter (ESLint JSON or SARIF) and the type check, as findings.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   */
  @func({ cache: "session" })
  async lint(@argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory): Promise<ActionReport> {
    return actionReport("lint", source);
  }

  /**
   * Check infrastructure code: trivy misconfiguration over IaC and Dockerfiles, cfn-lint over CloudFormation templates.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   */
  @func({ cache: "session" })
  async iac(@argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory): Promise<ActionReport> {
    return actionReport("iac", source);
  }

  /**
   * Detect hardcoded secrets with gitleaks (redacted), using the source's .gitleaks.toml and .gitleaksignore.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   */
  @func({ cache: "session" })
  async secrets(@argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory): Promise<ActionReport> {
    return actionReport("secrets", source);
  }

  /**
   * Static application security testing with semgrep: local rules offline, or registry rulesets.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   */
  @func({ cache: "session" })
  async sast(@argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory): Promise<ActionReport> {
    return actionReport("sast", source);
  }

  /**
   * Software composition analysis with trivy: vulnerable dependencies and licenses in the source.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   */
  @func({ cache: "session" })
  async sca(@argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory): Promise<ActionReport> {
    return actionReport("sca", source);
  }

  /**
   * A CycloneDX SBOM of the source's dependencies, generated by trivy.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   */
  @func()
  async sbom(@argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory): Promise<File> {
    return sbomFile(source);
  }

  /**
   * Package the runnable image once, from the application's Dockerfile or the preset's, with OCI labels and annotations.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   * @param revision Commit the source is at, recorded as org.opencontainers.image.revision.
   * @param sourceUrl Repository URL, recorded as org.opencontainers.image.source.
   * @param sourceDateEpoch Commit time in seconds since 1970 (git log -1 --format=%ct): the created label and SOURCE_DATE_EPOCH. Default 0, never the build time.
   */
  @func()
  async packageImage(
    @argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory,
    revision: string = "",
    sourceUrl: string = "",
    sourceDateEpoch: number = 0,
  ): Promise<Container> {
    return packageOnly(source, { revision, sourceUrl, sourceDateEpoch });
  }

  /**
   * Package the image and scan it with trivy: vulnerabilities and secrets in its OS and language packages.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   */
  @func({ cache: "session" })
  async scanImage(@argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory): Promise<ActionReport> {
    return actionReport("image-scan", source);
  }

  /**
   * Check for `dagger check`: unit tests pass.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   */
  @func({ cache: "session" })
  @check()
  async unitTestsCheck(@argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory): Promise<void> {
    return actionCheck("unit-tests", source);
  }

  /**
   * Check for `dagger check`: no blocking lint or type-check finding.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   */
  @func({ cache: "session" })
  @check()
  async lintCheck(@argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory): Promise<void> {
    return actionCheck("lint", source);
  }

  /**
   * Check for `dagger check`: no blocking IaC misconfiguration or cfn-lint finding.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   */
  @func({ cache: "session" })
  @check()
  async iacCheck(@argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory): Promise<void> {
    return actionCheck("iac", source);
  }

  /**
   * Check for `dagger check`: no blocking secret.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   */
  @func({ cache: "session" })
  @check()
  async secretsCheck(@argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory): Promise<void> {
    return actionCheck("secrets", source);
  }

  /**
   * Check for `dagger check`: no blocking SAST finding.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   */
  @func({ cache: "session" })
  @check()
  async sastCheck(@argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory): Promise<void> {
    return actionCheck("sast", source);
  }

  /**
   * Check for `dagger check`: no blocking vulnerable dependency or license.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   */
  @func({ cache: "session" })
  @check()
  async scaCheck(@argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory): Promise<void> {
    return actionCheck("sca", source);
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
   * @param awsAccessKeyId AWS access key ID (e.g. env:AWS_ACCESS_KEY_ID). Pass with --aws-secret-access-key.
   * @param awsSecretAccessKey AWS secret access key (e.g. env:AWS_SECRET_ACCESS_KEY).
   * @param awsSessionToken AWS session token of temporary keys (e.g. env:AWS_SESSION_TOKEN).
   * @param awsWebIdentityToken OIDC token of the CI (e.g. file:$AWS_WEB_IDENTITY_TOKEN_FILE); needs --aws-role-arn.
   * @param awsRoleArn Role the web-identity token is exchanged for.
   * @param awsProfileFile AWS shared credentials or config file (e.g. file:$HOME/.aws/credentials).
   * @param awsProfile Profile to use from --aws-profile-file (default: default).
   * @param ciEnvironment Prod approval: the protected CI environment the job runs in (GitHub: the job's environment:).
   * @param ciVars Prod approval: the CI's variables as KEY=VALUE lines (GITHUB_ACTIONS, GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_ACTOR, ...).
   * @param approvedBy Prod approval: who approved; on its own accepted only where dpra.yaml approval.sources lists explicit (recorded as self-asserted).
   */
  @func({ cache: "never" })
  async deploy(
    env: string,
    image: string,
    @argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory,
    preview = false,
    runId?: string,
    awsAccessKeyId?: Secret,
    awsSecretAccessKey?: Secret,
    awsSessionToken?: Secret,
    awsWebIdentityToken?: Secret,
    awsRoleArn?: string,
    awsProfileFile?: Secret,
    awsProfile?: string,
    ciEnvironment?: string,
    ciVars?: string,
    approvedBy?: string,
  ): Promise<DeployResult> {
    return runDeploy({
      source,
      env,
      image,
      preview,
      runId,
      secrets: { awsAccessKeyId, awsSecretAccessKey, awsSessionToken, awsWebIdentityToken, awsRoleArn, awsProfileFile, awsProfile },
      approval: { ...(ciEnvironment ? { ciEnvironment } : {}), ...(ciVars ? { ciVars } : {}), ...(approvedBy ? { approvedBy } : {}) },
    });
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
   * @param awsAccessKeyId AWS access key ID (e.g. env:AWS_ACCESS_KEY_ID). Pass with --aws-secret-access-key.
   * @param awsSecretAccessKey AWS secret access key (e.g. env:AWS_SECRET_ACCESS_KEY).
   * @param awsSessionToken AWS session token of temporary keys (e.g. env:AWS_SESSION_TOKEN).
   * @param awsWebIdentityToken OIDC token of the CI (e.g. file:$AWS_WEB_IDENTITY_TOKEN_FILE); needs --aws-role-arn.
   * @param awsRoleArn Role the web-identity token is exchanged for.
   * @param awsProfileFile AWS shared credentials or config file (e.g. file:$HOME/.aws/credentials).
   * @param awsProfile Profile to use from --aws-profile-file (default: default).
   */
  @func({ cache: "never" })
  async diff(
    env: string,
    image: string,
    @argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory,
    runId?: string,
    awsAccessKeyId?: Secret,
    awsSecretAccessKey?: Secret,
    awsSessionToken?: Secret,
    awsWebIdentityToken?: Secret,
    awsRoleArn?: string,
    awsProfileFile?: Secret,
    awsProfile?: string,
  ): Promise<string> {
    const result = await runDeploy({ source, env, image, preview: true, runId, secrets: { awsAccessKeyId, awsSecretAccessKey, awsSessionToken, awsWebIdentityToken, awsRoleArn, awsProfileFile, awsProfile } });
    return result.diff();
  }

  // --- gamma: capacity ---

  /**
   * Run the application's k6 capacity test (the `capacity` section of dpra.yaml) against an endpoint,
   * in a pinned grafana/k6 container. Checks p95 latency, error rate and throughput against the
   * thresholds, and against the last baseline when one is given. The script reads the endpoint as
   * `__ENV.BASE_URL`. The returned `baseline` is the JSON to keep for the next run.
   *
   * @param source Application source directory with dpra.yaml and the k6 script.
   * @param endpoint Base URL of the environment under test, e.g. the Gamma stack's endpoint output.
   * @param baseline The baseline JSON a previous passing run returned; without it only the thresholds apply.
   * @param failOnRegression Fail the call when a threshold or the baseline comparison fails (default true).
   */
  @func({ cache: "never" })
  async capacityTest(
    @argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory,
    endpoint: string,
    baseline?: File,
    failOnRegression = true,
  ): Promise<CapacityTestResult> {
    const config = await loadSourceConfig(source);
    return capacityTestFunction(source, config.capacity, endpoint, baseline, failOnRegression);
  }

  // --- gamma: synthetic canary ---

  /**
   * Create or update the application's CloudWatch Synthetics canary (the `synthetics` section of
   * dpra.yaml) and run it against an endpoint: new code is tried in a dry run before it replaces a
   * running canary, the runtime is the newest non-deprecated one, and one run newer than the start
   * must pass. The canary keeps running on its schedule afterwards. Prints the run and its steps.
   *
   * @param source Application source directory with dpra.yaml and the canary script.
   * @param endpoint Base URL the canary tests; the script reads it as `process.env.BASE_URL`.
   * @param region AWS region of the canary, e.g. eu-west-1.
   * @param awsAccessKeyId AWS access key ID (e.g. env:AWS_ACCESS_KEY_ID). Pass with --aws-secret-access-key.
   * @param awsSecretAccessKey AWS secret access key (e.g. env:AWS_SECRET_ACCESS_KEY).
   * @param awsSessionToken AWS session token of temporary keys (e.g. env:AWS_SESSION_TOKEN).
   * @param awsWebIdentityToken OIDC token of the CI (e.g. file:$AWS_WEB_IDENTITY_TOKEN_FILE); needs --aws-role-arn.
   * @param awsRoleArn Role the web-identity token is exchanged for.
   * @param awsProfileFile AWS shared credentials or config file (e.g. file:$HOME/.aws/credentials).
   * @param awsProfile Profile to use from --aws-profile-file (default: default).
   * @param executionRoleArn The canary's execution role, when dpra.yaml does not set synthetics.executionRoleArn.
   * @param artifactS3Location Where run artifacts go (s3://bucket/prefix), when dpra.yaml does not set it.
   * @param env Environment (gamma or prod) whose account the canary runs in: its roleArn from dpra.yaml is assumed. Default: the caller's own account.
   */
  @func({ cache: "never" })
  async canary(
    @argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory,
    endpoint: string,
    region: string,
    awsAccessKeyId?: Secret,
    awsSecretAccessKey?: Secret,
    awsSessionToken?: Secret,
    awsWebIdentityToken?: Secret,
    awsRoleArn?: string,
    awsProfileFile?: Secret,
    awsProfile?: string,
    executionRoleArn?: string,
    artifactS3Location?: string,
    env?: string,
  ): Promise<string> {
    const config = await loadSourceConfig(source);
    return canaryFunction(source, config.synthetics, {
      endpoint,
      region,
      secrets: { awsAccessKeyId, awsSecretAccessKey, awsSessionToken, awsWebIdentityToken, awsRoleArn, awsProfileFile, awsProfile },
      app: config.name ?? "app",
      ...(env !== undefined ? { environment: awsEnvironmentOf(config, env) } : {}),
      executionRoleArn,
      artifactS3Location,
    });
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
    @argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory,
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
   * @param attachReferrers Attach the SBOM and the provenance to the pushed digest as OCI referrers (ORAS); a refused attach is reported, not fatal.
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
    @argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory,
    releaseTag?: string,
    runId?: string,
    sbom?: File,
    waitForScan = true,
    attachReferrers = true,
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
      attachReferrers,
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
    @argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory,
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

  // --- pipeline plan, Beta stage, release ---

  /**
   * Print the DPRA run plan of the application: every stage and action, marked required or
   * recommended as the DPRA states it, what runs in which order, and which actions are not
   * configured in dpra.yaml.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   * @param env Target environment of the release: beta, gamma or prod.
   * @param format Output format: text, mermaid, or dot (Graphviz).
   */
  @func()
  async plan(
    @argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory,
    env = "beta",
    format = "text",
  ): Promise<string> {
    return renderPlan(buildRunPlan(await loadSourceConfig(source), parseTargetEnvironment(env)), parsePlanFormat(format));
  }

  /**
   * Release: the build stage, then every later DPRA stage up to the target environment, promoting the
   * image the build packaged once: Beta on ephemeral services; publish to ECR once after Beta; Gamma
   * (CloudFormation deploy with alarms watched, synthetic canary, capacity and chaos tests when
   * configured, the approval report); Prod (approval, waves with bake, prod canaries, rollback on a
   * breach), one digest throughout. With --digest, only the target's own stage runs, on an image
   * published earlier (split CI jobs). Returns every stage and action with status, duration and
   * reports; fails on a failed release unless --fail-on-error=false. A failing action stops the stages after it.
   *
   * @param source Application source directory (defaults to the bundled fruit-api example).
   * @param env Target environment: beta (default), gamma or prod.
   * @param revision Commit the source is at, recorded in the image's OCI labels and used as the image tag when publishing.
   * @param sourceUrl Repository URL, recorded in the image's OCI labels.
   * @param failOnError Fail the call when the release does not pass (false: return the result and reports anyway).
   * @param digest Image published earlier (registry/repository@sha256:...): run only the target's stage on it, nothing rebuilt. Prod first requires a Gamma pass recorded against it (its newest Gamma verdict referrer), then that the Gamma stack runs it.
   * @param publish With --env beta: publish the image to ECR (dpra.yaml artifact) after Beta passes; the result's digest is the reference. Gamma and prod without --digest always publish.
   * @param releaseTag Additional image tag when publishing, e.g. a version.
   * @param runId Identifier of the pipeline run (CI run ID); names the AWS role sessions. Default: time-based.
   * @param ciEnvironment Prod approval: the protected CI environment the job runs in (GitHub: the job's environment:).
   * @param ciVars Prod approval: the CI's variables as KEY=VALUE lines (GITHUB_ACTIONS, GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_ACTOR, ...).
   * @param approvedBy Prod approval: who approved, recorded in the approval report.
   * @param awsAccessKeyId AWS access key ID (e.g. env:AWS_ACCESS_KEY_ID). Pass with --aws-secret-access-key.
   * @param awsSecretAccessKey AWS secret access key (e.g. env:AWS_SECRET_ACCESS_KEY).
   * @param awsSessionToken AWS session token of temporary keys (e.g. env:AWS_SESSION_TOKEN).
   * @param awsWebIdentityToken OIDC token of the CI (e.g. file:$AWS_WEB_IDENTITY_TOKEN_FILE); needs --aws-role-arn.
   * @param awsRoleArn Role the web-identity token is exchanged for.
   * @param awsProfileFile AWS shared credentials or config file (e.g. file:$HOME/.aws/credentials).
   * @param awsProfile Profile to use from --aws-profile-file (default: default).
   * @param sourceDateEpoch Commit time in seconds since 1970 (git log -1 --format=%ct): the image's created label. Default 0, never the build time, so re-running a revision publishes the same digest.
   */
  @func({ cache: "never" })
  async release(
    @argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory,
    env = "beta",
    revision = "",
    sourceUrl = "",
    failOnError = true,
    digest?: string,
    publish = false,
    releaseTag?: string,
    runId?: string,
    ciEnvironment?: string,
    ciVars?: string,
    approvedBy?: string,
    awsAccessKeyId?: Secret,
    awsSecretAccessKey?: Secret,
    awsSessionToken?: Secret,
    awsWebIdentityToken?: Secret,
    awsRoleArn?: string,
    awsProfileFile?: Secret,
    awsProfile?: string,
    sourceDateEpoch: number = 0,
  ): Promise<ReleaseResult> {
    return release({
      source,
      env: parseTargetEnvironment(env),
      build: realBuild({ revision, sourceUrl, sourceDateEpoch }),
      failOnError,
      publish,
      revision,
      aws: { secrets: { awsAccessKeyId, awsSecretAccessKey, awsSessionToken, awsWebIdentityToken, awsRoleArn, awsProfileFile, awsProfile } },
      approval: { ...(ciVars ? { ciVars } : {}), ...(ciEnvironment ? { ciEnvironment } : {}), ...(approvedBy ? { approvedBy } : {}) },
      ...(digest ? { digest } : {}),
      ...(releaseTag ? { releaseTag } : {}),
      ...(runId ? { runId } : {}),
    });
  }

  /**
   * Run the DPRA Test (Beta) stage on an image built earlier, on ephemeral Dagger services:
   * PostgreSQL with a generated password, the DB deploy, the app from the given image (not rebuilt),
   * readiness on its health endpoint, then the integration and E2E tests against it.
   *
   * @param source Application source directory (dpra.yaml, migrations, E2E tests).
   * @param image The packaged application image from the build stage.
   * @param testImage The build's test container (app dependencies and tests), for the integration suite.
   * @param failOnError Fail the call when the stage fails (set false to get the result and reports anyway).
   */
  @func({ cache: "never" })
  async beta(
    @argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory,
    image: Container,
    testImage?: Container,
    failOnError = true,
  ): Promise<ReleaseResult> {
    return betaOnly({ source, image, ...(testImage ? { testImage } : {}), failOnError });
  }
}
