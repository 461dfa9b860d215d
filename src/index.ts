/**
 * dpra: the AWS Deployment Pipeline Reference Architecture application pipeline as Dagger functions.
 *
 * Build, test, scan, package once, and promote the same image digest through Beta, Gamma and Prod.
 */
import { argument, check, Container, Directory, File, func, object, Secret } from "@dagger.io/dagger";
import { CapacityTestResult } from "./actions/capacity-tests/capacity-test.dagger.js";
import { actionCheck, actionReport, buildStage, packageOnly, sbomFile } from "./stages/build/functions.dagger.js";
import { ActionReport, BuildResult } from "./stages/build/objects.dagger.js";
import { canaryCall, deployFunction, diffFunction, promoteCall, publishCall } from "./functions/aws.dagger.js";
import { capacityTestCall, configJson, planText, releaseCall } from "./functions/pipeline.dagger.js";
import { DeployResult } from "./deploy/result.dagger.js";
import { credentialsOf } from "./inputs/credentials.dagger.js";
import { PublishResult } from "./publish/result.dagger.js";
import { ensureRepositoryShell } from "./publish/publish.dagger.js";
import { betaOnly } from "./release/release.dagger.js";
import { ReleaseResult } from "./release/result.dagger.js";

/** Build stage: locally installed dependencies are never part of the source; the build installs its own. */
const SOURCE_IGNORE = ["**/node_modules"];

/**
 * The dpra pipeline: each DPRA stage and action as a function, composed by build and release. The
 * source is given once (`dagger call --source=. ...`), the AWS credentials once (`with-aws`).
 */
@object()
export class Dpra {
  // Not exposed as fields; the SDK keeps every declared property across chained calls.
  source: Directory;
  awsAccessKeyId?: Secret; awsSecretAccessKey?: Secret; awsSessionToken?: Secret; awsWebIdentityToken?: Secret;
  awsRoleArn?: string; awsProfileFile?: Secret; awsProfile?: string;

  constructor(
    /** Application source directory: dpra.yaml, the code, its tests and templates (defaults to the bundled fruit-api example). */
    @argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory,
  ) { this.source = source; }

  /**
   * The AWS credentials for the functions that call AWS (deploy, diff, canary, ensure-repository, publish, promote, release), given once:
   * `dagger call with-aws --aws-access-key-id=env:AWS_ACCESS_KEY_ID ... release`. Pass one kind: access keys, a web-identity token with its
   * role, or a profile file. Each call replaces the credentials given before.
   */
  @func() withAws(
    /** AWS access key ID (e.g. env:AWS_ACCESS_KEY_ID). Pass with --aws-secret-access-key. */ awsAccessKeyId?: Secret,
    /** AWS secret access key (e.g. env:AWS_SECRET_ACCESS_KEY). */ awsSecretAccessKey?: Secret,
    /** AWS session token of temporary keys (e.g. env:AWS_SESSION_TOKEN). */ awsSessionToken?: Secret,
    /** OIDC token of the CI (e.g. file:$AWS_WEB_IDENTITY_TOKEN_FILE); needs --aws-role-arn. */ awsWebIdentityToken?: Secret,
    /** Role the web-identity token is exchanged for. */ awsRoleArn?: string,
    /** AWS shared credentials or config file (e.g. file:$HOME/.aws/credentials). */ awsProfileFile?: Secret,
    /** Profile to use from --aws-profile-file (default: default). */ awsProfile?: string,
  ): Dpra { return Object.assign(this, { awsAccessKeyId, awsSecretAccessKey, awsSessionToken, awsWebIdentityToken, awsRoleArn, awsProfileFile, awsProfile }); }

  /**
   * Validate the application's dpra.yaml and print the resolved pipeline configuration as JSON: the file's settings plus the defaults detected
   * from the source. Fails listing every problem, including a gamma or prod template that breaks the config↔template contract (parameters,
   * outputs, deployment.strategy).
   */
  @func() async config(): Promise<string> { return configJson(this.source); }

  // --- build stage ---
  // Verdicts depend on the day (allowlist expiry) and on vulnerability data: the judging functions are cached per session; image and SBOM keep the engine's cache.

  /**
   * The build stage: compile, unit tests, lint and type check, IaC checks, secrets (gitleaks), SAST (semgrep), SCA and SBOM (trivy), all at
   * once, and the image packaged once and scanned. Fails listing every blocking finding unless --no-fail.
   */
  @func({ cache: "session" }) async build(
    /** Commit the source is at, recorded as the image's org.opencontainers.image.revision. */ revision: string = "",
    /** Repository URL, recorded as the image's org.opencontainers.image.source. */ sourceUrl: string = "",
    /** Return the result even when the policy blocks, instead of failing. */ noFail: boolean = false,
    /** Commit time in seconds since 1970 (git log -1 --format=%ct): the image's created label and SOURCE_DATE_EPOCH. Default 0, never the build time, so the same revision gives the same digest. */ sourceDateEpoch: number = 0,
  ): Promise<BuildResult> { return buildStage(this.source, { revision, sourceUrl, sourceDateEpoch }, noFail); }

  /** Package the runnable image once, from the application's Dockerfile or the preset's, with OCI labels and annotations. */
  @func() async packageImage(
    /** Commit the source is at, recorded as org.opencontainers.image.revision. */ revision: string = "",
    /** Repository URL, recorded as org.opencontainers.image.source. */ sourceUrl: string = "",
    /** Commit time in seconds since 1970 (git log -1 --format=%ct): the created label and SOURCE_DATE_EPOCH. Default 0, never the build time. */ sourceDateEpoch: number = 0,
  ): Promise<Container> { return packageOnly(this.source, { revision, sourceUrl, sourceDateEpoch }); }

  /** Run the unit tests and read their JUnit XML: counts, failing test names. A failing test blocks. */
  @func({ cache: "session" }) async unitTests(): Promise<ActionReport> { return actionReport("unit-tests", this.source); }
  /** Run the project's linter (ESLint JSON or SARIF) and the type check, as findings. */
  @func({ cache: "session" }) async lint(): Promise<ActionReport> { return actionReport("lint", this.source); }
  /** Check infrastructure code: trivy misconfiguration over IaC and Dockerfiles, cfn-lint over CloudFormation templates. */
  @func({ cache: "session" }) async iac(): Promise<ActionReport> { return actionReport("iac", this.source); }
  /** Detect hardcoded secrets with gitleaks (redacted), using the source's .gitleaks.toml and .gitleaksignore. */
  @func({ cache: "session" }) async secrets(): Promise<ActionReport> { return actionReport("secrets", this.source); }
  /** Static application security testing with semgrep: local rules offline, or registry rulesets. */
  @func({ cache: "session" }) async sast(): Promise<ActionReport> { return actionReport("sast", this.source); }
  /** Software composition analysis with trivy: vulnerable dependencies and licenses in the source. */
  @func({ cache: "session" }) async sca(): Promise<ActionReport> { return actionReport("sca", this.source); }
  /** A CycloneDX SBOM of the source's dependencies, generated by trivy. */
  @func() async sbom(): Promise<File> { return sbomFile(this.source); }
  /** Package the image and scan it with trivy: vulnerabilities and secrets in its OS and language packages. */
  @func({ cache: "session" }) async scanImage(): Promise<ActionReport> { return actionReport("image-scan", this.source); }
  /** Check for `dagger check`: unit tests pass. */
  @func({ cache: "session" }) @check() async unitTestsCheck(): Promise<void> { return actionCheck("unit-tests", this.source); }
  /** Check for `dagger check`: no blocking lint or type-check finding. */
  @func({ cache: "session" }) @check() async lintCheck(): Promise<void> { return actionCheck("lint", this.source); }
  /** Check for `dagger check`: no blocking IaC misconfiguration or cfn-lint finding. */
  @func({ cache: "session" }) @check() async iacCheck(): Promise<void> { return actionCheck("iac", this.source); }
  /** Check for `dagger check`: no blocking secret. */
  @func({ cache: "session" }) @check() async secretsCheck(): Promise<void> { return actionCheck("secrets", this.source); }
  /** Check for `dagger check`: no blocking SAST finding. */
  @func({ cache: "session" }) @check() async sastCheck(): Promise<void> { return actionCheck("sast", this.source); }
  /** Check for `dagger check`: no blocking vulnerable dependency or license. */
  @func({ cache: "session" }) @check() async scaCheck(): Promise<void> { return actionCheck("sca", this.source); }

  // --- deploy (AWS: credentials from with-aws) ---

  /**
   * Deploy the application's CloudFormation stack to an AWS environment (gamma or prod) from dpra.yaml: one change set per region, regions of a
   * wave concurrently, waves in order with a bake time watching the environment's alarms. A failure or an alarm stops the rollout, rolls back
   * the wave and fails the call with the root cause. A rerun of the same deploy resumes its change sets and stack operations.
   */
  @func({ cache: "never" }) async deploy(
    /** Environment to deploy: gamma or prod. */ env: string,
    /** Image reference pinned by digest (repository@sha256:...), passed to the template parameter `imageParameter`. */ image: string,
    /** Create and describe the change sets only, without executing them (the input for approval). */ preview = false,
    /** Names the change sets (dpra-<runId>); defaults to a hash of environment, image, template and parameters, so a rerun resumes. */ runId?: string,
    /** Prod approval: the protected CI environment the job runs in (GitHub: the job's environment:). */ ciEnvironment?: string,
    /** Prod approval: the CI's variables as KEY=VALUE lines (GITHUB_ACTIONS, GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_ACTOR, ...). */ ciVars?: string,
    /** Prod approval: who approved; on its own accepted only where dpra.yaml approval.sources lists explicit (recorded as self-asserted). */ approvedBy?: string,
  ): Promise<DeployResult> { return deployFunction(this.source, credentialsOf(this), { env, image, preview, runId, ciEnvironment, ciVars, approvedBy }); }

  /**
   * Show what a deploy to an environment would change: the change-set diff of every region (add, modify, remove, replacement, nested stacks),
   * without executing anything. The change sets stay, so a following deploy of the same content executes exactly what was shown.
   */
  @func({ cache: "never" }) async diff(
    /** Environment to preview: gamma or prod. */ env: string,
    /** Image reference pinned by digest (repository@sha256:...). */ image: string,
    /** Names the change sets; defaults to a hash of environment, image, template and parameters. */ runId?: string,
  ): Promise<string> { return diffFunction(this.source, credentialsOf(this), { env, image, runId }); }

  // --- gamma: capacity and synthetic canary ---

  /**
   * Run the application's k6 capacity test (the `capacity` section of dpra.yaml) against an endpoint, in a pinned grafana/k6 container. Checks
   * p95 latency, error rate and throughput against the thresholds, and against the last baseline when one is given. The script reads the
   * endpoint as `__ENV.BASE_URL`. The returned `baseline` is the JSON to keep for the next run.
   */
  @func({ cache: "never" }) async capacityTest(
    /** Base URL of the environment under test, e.g. the Gamma stack's endpoint output. */ endpoint: string,
    /** The baseline JSON a previous passing run returned; without it only the thresholds apply. */ baseline?: File,
    /** Fail the call when a threshold or the baseline comparison fails (default true). */ failOnRegression = true,
  ): Promise<CapacityTestResult> { return capacityTestCall(this.source, endpoint, baseline, failOnRegression); }

  /**
   * Create or update the application's CloudWatch Synthetics canary (the `synthetics` section of dpra.yaml) and run it against an endpoint: new
   * code is tried in a dry run before it replaces a running canary, the runtime is the newest non-deprecated one, and one run newer than the
   * start must pass. The canary keeps running on its schedule afterwards. Prints the run and its steps.
   */
  @func({ cache: "never" }) async canary(
    /** Base URL the canary tests; the script reads it as `process.env.BASE_URL`. */ endpoint: string,
    /** AWS region of the canary, e.g. eu-west-1. */ region: string,
    /** The canary's execution role, when dpra.yaml does not set synthetics.executionRoleArn. */ executionRoleArn?: string,
    /** Where run artifacts go (s3://bucket/prefix), when dpra.yaml does not set it. */ artifactS3Location?: string,
    /** Environment (gamma or prod) whose account the canary runs in: its roleArn from dpra.yaml is assumed. Default: the caller's own account. */ env?: string,
  ): Promise<string> { return canaryCall(this.source, credentialsOf(this), { endpoint, region, executionRoleArn, artifactS3Location, env }); }

  // --- package and store (ECR) ---

  /**
   * Create the ECR repository from dpra.yaml `artifact.ecr` (immutable tags, scan on push, encryption, lifecycle policy, pull policy for the
   * environment accounts), or check an existing one and report drift as JSON. Drift is only reconciled with --apply; encryption drift needs a
   * new repository.
   */
  @func({ cache: "never" }) async ensureRepository(/** Reconcile drift on an existing repository instead of only reporting it. */ apply = false): Promise<string> { return ensureRepositoryShell(this.source, apply, credentialsOf(this)); }

  /**
   * Push the packaged image to Amazon ECR once, tagged with the git revision (and a release tag), and return the digest-pinned reference. A
   * rerun with the same image succeeds; a tag that holds another digest fails, never overwritten. Then waits for the ECR scan, puts its findings
   * through the policy gate, and keeps the findings, the gate result, the provenance and the SBOM with the reports.
   */
  @func({ cache: "never" }) async publish(
    /** The packaged image from the build stage. */ image: Container,
    /** Git revision of the source; the image tag. */ gitRevision: string,
    /** Additional tag, e.g. a version; set by digest, never moved. */ releaseTag?: string,
    /** Identifier of the pipeline run (CI run ID); names the AWS role sessions. Default: a time-based ID. */ runId?: string,
    /** CycloneDX SBOM of the image from the build stage, kept with the reports. */ sbom?: File,
    /** Wait for the ECR scan on push and put its findings through the policy gate. */ waitForScan = true,
    /** Attach the SBOM and the provenance to the pushed digest as OCI referrers (ORAS); a refused attach is reported, not fatal. */ attachReferrers = true,
    /** Fail when the ECR scan findings fail the policy gate (the image stays stored; nothing is promoted). */ enforceGate = true,
  ): Promise<PublishResult> { return publishCall(this.source, credentialsOf(this), { image, gitRevision, releaseTag, runId, sbom, waitForScan, attachReferrers, enforceGate }); }

  /**
   * Promote a published image by digest to an environment: copy it to the environment's registry (`artifact.promote.<env>`; ECR replication when
   * configured, else a digest-preserving copy), then verify the target digest equals the source digest. Environments without a copy pull from
   * the central repository. Prints the outcome as JSON.
   */
  @func({ cache: "never" }) async promote(
    /** The digest-pinned reference publish returned. */ reference: string,
    /** Environment to promote to: gamma or prod. */ env: string,
    /** Tag to give the image in the target repository, e.g. the git revision. */ tag?: string,
    /** Identifier of the pipeline run (CI run ID); names the AWS role sessions. */ runId?: string,
  ): Promise<string> { return promoteCall(this.source, credentialsOf(this), { reference, env, tag, runId }); }

  // --- pipeline plan, Beta stage, release ---

  /**
   * Print the DPRA run plan of the application: every stage and action, marked required or recommended as the DPRA states it, what runs in which
   * order, and which actions are not configured in dpra.yaml.
   */
  @func() async plan(
    /** Target environment of the release: beta, gamma or prod. */ env = "beta",
    /** Output format: text, mermaid, or dot (Graphviz). */ format = "text",
  ): Promise<string> { return planText(this.source, env, format); }

  /**
   * Release: the build stage, then every later DPRA stage up to the target environment, promoting the image the build packaged once: Beta on
   * ephemeral services; publish to ECR once after Beta; Gamma (CloudFormation deploy with alarms watched, synthetic canary, capacity and chaos
   * tests when configured, the approval report); Prod (approval, waves with bake, prod canaries, rollback on a breach), one digest throughout.
   * With --digest, only the target's own stage runs, on an image published earlier (split CI jobs). Returns every stage and action with status,
   * duration and reports; fails on a failed release unless --fail-on-error=false. A failing action stops the stages after it.
   */
  @func({ cache: "never" }) async release(
    /** Target environment: beta (default), gamma or prod. */ env = "beta",
    /** Commit the source is at, recorded in the image's OCI labels and used as the image tag when publishing. */ revision = "",
    /** Repository URL, recorded in the image's OCI labels. */ sourceUrl = "",
    /** Fail the call when the release does not pass (false: return the result and reports anyway). */ failOnError = true,
    /** Image published earlier (registry/repository@sha256:...): run only the target's stage on it, nothing rebuilt. Prod first requires a Gamma pass recorded against it (its newest Gamma verdict referrer), then that the Gamma stack runs it. */ digest?: string,
    /** With --env beta: publish the image to ECR (dpra.yaml artifact) after Beta passes; the result's digest is the reference. Gamma and prod without --digest always publish. */ publish = false,
    /** Additional image tag when publishing, e.g. a version. */ releaseTag?: string,
    /** Identifier of the pipeline run (CI run ID); names the AWS role sessions. Default: time-based. */ runId?: string,
    /** Prod approval: the protected CI environment the job runs in (GitHub: the job's environment:). */ ciEnvironment?: string,
    /** Prod approval: the CI's variables as KEY=VALUE lines (GITHUB_ACTIONS, GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_ACTOR, ...). */ ciVars?: string,
    /** Prod approval: who approved, recorded in the approval report. */ approvedBy?: string,
    /** Commit time in seconds since 1970 (git log -1 --format=%ct): the image's created label. Default 0, never the build time, so re-running a revision publishes the same digest. */ sourceDateEpoch: number = 0,
  ): Promise<ReleaseResult> {
    return releaseCall(this.source, credentialsOf(this), { env, revision, sourceUrl, failOnError, digest, publish, releaseTag, runId, ciEnvironment, ciVars, approvedBy, sourceDateEpoch });
  }

  /**
   * Run the DPRA Test (Beta) stage on an image built earlier, on ephemeral Dagger services: PostgreSQL with a generated password, the DB deploy,
   * the app from the given image (not rebuilt), readiness on its health endpoint, then the integration and E2E tests against it.
   */
  @func({ cache: "never" }) async beta(
    /** The packaged application image from the build stage. */ image: Container,
    /** The build's test container (app dependencies and tests), for the integration suite. */ testImage?: Container,
    /** Fail the call when the stage fails (set false to get the result and reports anyway). */ failOnError = true,
  ): Promise<ReleaseResult> { return betaOnly({ source: this.source, image, ...(testImage ? { testImage } : {}), failOnError }); }
}
