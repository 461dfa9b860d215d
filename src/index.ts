/**
 * dpra: the AWS Deployment Pipeline Reference Architecture application pipeline as Dagger functions.
 *
 * Build, test, scan, package once, and promote the same image digest through Beta, Gamma and Prod.
 */
import { argument, Container, Directory, func, object } from "@dagger.io/dagger";
import { buildRunPlan, parseTargetEnvironment } from "./pipeline/plan.js";
import { parsePlanFormat, renderPlan } from "./pipeline/render.js";
import { betaOnly } from "./release/release.js";
import { ReleaseResult } from "./release/result.js";
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
    @argument({ defaultPath: "/examples/fruit-api" }) source: Directory,
    env = "beta",
    format = "text",
  ): Promise<string> {
    return renderPlan(buildRunPlan(await loadSourceConfig(source), parseTargetEnvironment(env)), parsePlanFormat(format));
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
    @argument({ defaultPath: "/examples/fruit-api" }) source: Directory,
    image: Container,
    testImage?: Container,
    failOnError = true,
  ): Promise<ReleaseResult> {
    return betaOnly({ source, image, ...(testImage ? { testImage } : {}), failOnError });
  }
}
