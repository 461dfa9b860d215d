// The CloudFormation side of Gamma and Prod in a release: the environment's one region for Gamma,
// change-set previews for the approval report. The waves themselves are the wave engine's
// (src/actions/progressive-deployment), the same as `deploy`'s.
import type { ChangeSetPreview } from "../../actions/approval/approval.js";
import { deployEnvironment } from "../../actions/progressive-deployment/deploy.js";
import { environmentRequest, type CfnEnvironment as EngineEnvironment } from "../../actions/progressive-deployment/cfn-waves.js";
import { contentRunId } from "../../actions/progressive-deployment/stack-settings.js";
import type { AwsEnvironment } from "../../config/sections/environments.js";

export { stackFacts } from "../../actions/progressive-deployment/cfn-waves.js";

/** The engine's CloudFormation environment, as a release builds it for Gamma or Prod. */
export type CfnEnvironment = EngineEnvironment & { envName: "gamma" | "prod" };

/** The one region Gamma runs in: `region`, or a single wave with a single region. */
export function gammaRegion(env: AwsEnvironment): string {
  const regions = env.region ? [env.region] : (env.waves ?? []).flatMap((w) => w.regions);
  if (regions.length !== 1) {
    throw new Error(`environments.gamma deploys to ${regions.length} regions (${regions.join(", ")}): Gamma is one production-like region; set environments.gamma.region`);
  }
  return regions[0]!;
}

/** Change-set name seed: the same content gives the same change sets, so a preview is what a deploy executes. */
export function changeSetRunId(c: { envName: string; env: AwsEnvironment; reference: string; templateBody: string }): string {
  return contentRunId(c.envName, c.env, c.reference, c.templateBody);
}

/** Creates and describes the change sets of every region of the environment, executing nothing. */
export async function previewChangeSets(c: CfnEnvironment): Promise<ChangeSetPreview[]> {
  const preview = await deployEnvironment(environmentRequest(c, true));
  if (preview.status !== "preview" && preview.status !== "no-change") throw new Error(preview.message);
  return preview.regions.flatMap((r) => (r.stack ? [{ stack: c.env.stackName, region: r.region, diff: r.stack.diffText }] : []));
}
