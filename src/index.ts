/**
 * dpra: the AWS Deployment Pipeline Reference Architecture application pipeline as Dagger functions.
 *
 * Build, test, scan, package once, and promote the same image digest through Beta, Gamma and Prod.
 */
import { argument, check, Container, Directory, File, func, object, Secret } from "@dagger.io/dagger";
import { DeployResult } from "./deploy/result.js";
import { runDeploy } from "./deploy/shell.js";
import { loadSourceConfig } from "./shell/source.js";
import { actionCheck, actionReport, buildStage, packageOnly, sbomFile } from "./build/api.js";
import { ActionReport, BuildResult } from "./build/objects.js";

/** Build stage: locally installed dependencies are never part of the source; the build installs its own. */
const SOURCE_IGNORE = ["**/node_modules"];

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
   */
  @func({ cache: "session" })
  async build(
    @argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory,
    revision: string = "",
    sourceUrl: string = "",
    noFail: boolean = false,
  ): Promise<BuildResult> {
    return buildStage(source, revision, sourceUrl, noFail);
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
   */
  @func()
  async packageImage(
    @argument({ defaultPath: "/examples/fruit-api", ignore: SOURCE_IGNORE }) source: Directory,
    revision: string = "",
    sourceUrl: string = "",
  ): Promise<Container> {
    return packageOnly(source, revision, sourceUrl);
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
