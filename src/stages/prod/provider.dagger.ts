// The Prod stage of a release: approval first (nothing touches prod without one), then the waves of
// the engine-free core (src/stages/prod) over CloudFormation, with bake, prod canaries after each
// wave and rollback of every touched region on a breach. The digest is the one Gamma deployed and
// passed: from this run's Gamma, or, in a prod-only run, the given digest if its newest Gamma verdict
// record (an ECR referrer, src/stages/gamma/verdict-store.dagger.ts) is a pass and the Gamma stack runs it.
import { approvalReport, type ApprovalRecord, type ChangeSetPreview } from "../../actions/approval/approval.js";
import { requireProdApproval } from "../../actions/approval/require.js";
import { digestOfReference } from "../../aws/ecr/images.js";
import { environmentCanary } from "../../actions/synthetic-tests/environment-canary.dagger.js";
import { verifyDeployedDigest } from "../../cloudformation/stack-facts.js";
import { formatActions } from "../gamma/summary.js";
import type { RenewingSession } from "../../aws/credentials/renewal.js";
import { runProdStage, type ProdPorts, type ProdResult, type ProdSessions } from "./stage.js";
import { rolloutRules } from "../../actions/progressive-deployment/engine.js";
import { CfnWaves } from "../../actions/progressive-deployment/cfn-waves.js";
import { planWaves } from "../../actions/progressive-deployment/waves.js";
import { cfnEnvironment, environmentClients, environmentOf, regionDbDeploy, releaseAws } from "../aws-environment/environment.dagger.js";
import { gammaRegion, previewChangeSets, stackFacts } from "../aws-environment/cfn.js";
import type { StageProvider } from "../../pipeline/stage.js";
import type { DaggerReleaseContext } from "../../pipeline/context.dagger.js";
import { requireGammaPass } from "../gamma/verdict-store.dagger.js";
import { outcomeFromSteps } from "../aws-environment/outcomes.js";
import { errorMessage } from "../../errors.js";

/**
 * The approval from the release's arguments and dpra.yaml; throws ApprovalError (naming what is
 * missing) without one. In a single-call release (no --digest) it is asked for only after this
 * run's Gamma passed, and the record names that Gamma run.
 */
export function approvalOf(ctx: DaggerReleaseContext, now = new Date()): ApprovalRecord {
  const singleCall = ctx.reference === undefined || ctx.gamma !== undefined;
  const passedRun = ctx.gamma?.passed ? `Gamma of release run ${ctx.runId} passed for ${ctx.gamma.digest}` : undefined;
  const approval = requireProdApproval({
    config: ctx.config.approval,
    env: "prod",
    input: ctx.approvalInput ?? {},
    gamma: singleCall ? { required: true, ...(passedRun ? { passedRun } : {}) } : { required: false },
    now,
  });
  if (!approval) throw new Error("prod always needs an approval");
  return approval;
}

/**
 * In a prod-only release (--digest, no Gamma in this run): the digest's newest Gamma verdict record
 * must be a pass. Read once, before the approval and before any change set; throws with the reason
 * (no record, failed checks, malformed record). Resolves to the pass's summary, or undefined when
 * this run's own Gamma result decides.
 */
export function gammaPassOf(ctx: DaggerReleaseContext): Promise<string> | undefined {
  if (ctx.gamma || ctx.reference === undefined) return undefined;
  const reference = ctx.reference;
  return (ctx.gammaPass ??= requireGammaPass(ctx, reference).then((d) => {
    ctx.details.push(`## Prod: Gamma verdict\n\n${d.summary}\n`);
    return d.summary;
  }));
}

/**
 * The digest prod deploys. After this run's Gamma: the digest Gamma deployed and verified. In a
 * prod-only run (--digest): the given digest, only if its newest Gamma verdict is a pass and the
 * Gamma stack runs exactly it now.
 */
export async function prodDigest(ctx: DaggerReleaseContext, reference: string): Promise<string> {
  const digest = digestOfReference(reference);
  if (ctx.gamma) {
    const gammaDigest = ctx.gamma.digestForProd();
    if (gammaDigest !== digest) throw new Error(`Gamma deployed ${gammaDigest}, but prod was asked to deploy ${digest}`);
    return gammaDigest;
  }
  await gammaPassOf(ctx);
  const gamma = ctx.config.environments.gamma;
  if (!gamma) throw new Error("release --env prod --digest checks the digest against the Gamma stack, and dpra.yaml has no environments.gamma");
  const region = gammaRegion(gamma);
  const clients = (await environmentClients(ctx, "gamma", gamma))(region);
  let parameters: Record<string, string>;
  try {
    parameters = (await stackFacts(clients, gamma.stackName)).parameters;
  } catch (err) {
    throw new Error(`cannot read the Gamma stack ${gamma.stackName} in ${region} to check the digest: ${errorMessage(err)}`, { cause: err });
  }
  try {
    verifyDeployedDigest(parameters, digest, { stack: gamma.stackName, region }, gamma.imageParameter);
  } catch (err) {
    throw new Error(`refusing to deploy ${reference} to prod: ${errorMessage(err)}. Release this digest to Gamma first (release --env gamma --digest ...).`, {
      cause: err,
    });
  }
  return digest;
}

async function runProd(ctx: DaggerReleaseContext): Promise<ProdResult> {
  const { config } = ctx;
  const aws = releaseAws(ctx);
  const env = environmentOf(ctx, "prod");
  const synthetics = config.synthetics;
  if (!synthetics) throw new Error("dpra.yaml has no synthetics section: Prod's synthetic tests need it");
  const approval = ctx.approval ?? approvalOf(ctx);
  const reference = await aws.reference();
  const digest = await prodDigest(ctx, reference);
  const cfn = await cfnEnvironment(ctx, "prod", reference);
  let changeSets: ChangeSetPreview[];
  try {
    changeSets = await previewChangeSets(cfn);
  } catch (err) {
    changeSets = [{ stack: env.stackName, region: "all prod regions", diff: `(change sets not available: ${errorMessage(err).split("\n")[0]})` }];
  }
  ctx.approvalReport = approvalReport({ digest, changeSets, approval, ...(ctx.gamma ? { gammaSummary: ctx.gamma.summary } : {}) });
  ctx.reports.addText("approval-report.md", ctx.approvalReport);

  const deployer = new CfnWaves(cfn);
  const identity = await aws.identity();
  const db = await regionDbDeploy(ctx, cfn);
  const ports: ProdPorts = {
    waves: deployer,
    ...(db ? { dbDeploy: db } : {}),
    canary: async (region, endpoint) =>
      environmentCanary(
        ctx.source,
        synthetics,
        { name: env.stackName, outputs: { ...deployer.outputsOf(region), [synthetics.endpointOutput]: endpoint } },
        await aws.world.synthetics("prod", region, identity.forRole("prod", env.roleArn, region).credentials),
      ),
    sessions: prodSessions((region) => identity.forRole("prod", env.roleArn, region).session),
    now: () => new Date(),
  };
  const result = await runProdStage(ports, {
    approval,
    digest,
    waves: planWaves(env),
    strategy: env.deployment.strategy,
    endpointOutput: synthetics.endpointOutput,
    imageParameter: env.imageParameter,
    ...rolloutRules(env, cfn.templateBody),
  });
  const summary = formatActions(result.actions);
  ctx.details.push(`## Prod: steps\n\n${summary}\n`);
  ctx.reports.addText("prod/steps.md", summary + "\n");
  return result;
}

/** The prod role's kept sessions by region; regions without one (long-lived keys) need nothing. */
export function prodSessions(sessionOf: (region: string) => RenewingSession | undefined): ProdSessions {
  const each = (regions: readonly string[], act: (s: RenewingSession) => Promise<void>) =>
    Promise.all(
      regions
        .map((r) => sessionOf(r))
        .filter((s): s is RenewingSession => s !== undefined)
        .map(act),
    ).then(() => undefined);
  return {
    renew: (regions) => each(regions, (s) => s.renew()),
    ensureValidFor: (regions, waitMs) => each(regions, (s) => s.ensureValidFor(waitMs)),
  };
}

/** Prod as a release stage: approval, progressive deployment in waves, synthetic tests after each wave. */
export const prodStage: StageProvider<DaggerReleaseContext, "prod"> = {
  stage: "prod",
  runners(ctx) {
    let once: Promise<ProdResult> | undefined;
    const run = () => (once ??= runProd(ctx));
    return {
      "prod.approval": async () => {
        // A digest without a Gamma pass is refused before anyone is asked to approve it.
        const passed = await gammaPassOf(ctx);
        const approval = approvalOf(ctx);
        ctx.approval = approval;
        return { ok: true, summary: `approved by ${approval.approver} (${approval.source}${approval.runUrl ? `, ${approval.runUrl}` : ""})${passed ? `; ${passed}` : ""}` };
      },
      "prod.progressive-deployment": async () => {
        const result = await run();
        const outcome = outcomeFromSteps(result.actions, ["progressive-deployment"]);
        if (result.passed || !outcome.ok) return outcome;
        // A failure outside the waves' own steps (a prod canary) still means the rollout did not stand.
        return {
          ok: false,
          summary: result.actions
            .filter((a) => a.status === "failed")
            .map((a) => `${a.name}: ${a.detail.split("\n")[0]}`)
            .join("; "),
        };
      },
      // Per wave, after the approval and before the wave's software deploy.
      "prod.db-deploy": async () => outcomeFromSteps((await run()).actions, ["db-deploy"]),
      "prod.synthetic-tests": async () => outcomeFromSteps((await run()).actions, ["synthetic-tests"]),
    };
  },
};
