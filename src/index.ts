/**
 * dpra: the AWS Deployment Pipeline Reference Architecture application pipeline as Dagger functions.
 *
 * Build, test, scan, package once, and promote the same image digest through Beta, Gamma and Prod.
 */
import { argument, Directory, func, object } from "@dagger.io/dagger";
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
}
