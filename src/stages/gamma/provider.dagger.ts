// The Gamma stage of a release: the engine-free core (src/stages/gamma) wired to CloudFormation with
// alarms watched, the Synthetics canary, k6 and FIS. Runs once; each DPRA action of the plan reports
// the steps that belong to it. Also writes the approval report the prod reviewer reads first.
import { approvalReport, type ChangeSetPreview } from "../../actions/approval/approval.js";
import { capacityTestAgainst } from "../../actions/capacity-tests/capacity-test.dagger.js";
import { digestOfReference } from "../../aws/ecr/images.js";
import { gammaChaosTest } from "../../actions/chaos-tests/chaos-test.dagger.js";
import { chaosSettingsFrom } from "../../actions/chaos-tests/settings.js";
import { environmentCanary } from "../../actions/synthetic-tests/environment-canary.dagger.js";
import { CfnWaves } from "../../actions/progressive-deployment/cfn-waves.js";
import { rolloutRules, runRollout } from "../../actions/progressive-deployment/engine.js";
import { planWaves } from "../../actions/progressive-deployment/waves.js";
import { ActionLog } from "../aws-environment/steps.js";
import { runGammaStage, type GammaPorts, type GammaResult } from "./stage.js";
import { formatActions, gammaHandOff } from "./summary.js";
import type { StageProvider } from "../../pipeline/stage.js";
import { cfnEnvironment, environmentOf, regionDbDeploy, releaseAws } from "../aws-environment/environment.dagger.js";
import { gammaRegion, previewChangeSets } from "../aws-environment/cfn.js";
import type { DaggerReleaseContext } from "../../pipeline/context.dagger.js";
import { recordGammaVerdict } from "./verdict-store.dagger.js";
import { outcomeFromSteps } from "../aws-environment/outcomes.js";
import { errorMessage } from "../../errors.js";

async function runGamma(ctx: DaggerReleaseContext): Promise<GammaResult> {
  const { config } = ctx;
  const aws = releaseAws(ctx);
  const env = environmentOf(ctx, "gamma");
  const synthetics = config.synthetics;
  if (!synthetics) throw new Error("dpra.yaml has no synthetics section: Gamma's synthetic tests need it");
  const region = gammaRegion(env);
  const reference = await aws.reference();
  const digest = digestOfReference(reference);
  const cfn = await cfnEnvironment(ctx, "gamma", reference);
  const credentials = (await aws.identity()).forRole("gamma", env.roleArn, region).credentials;
  const capacity = config.capacity;
  const chaos = config.chaos;
  const db = await regionDbDeploy(ctx, cfn);

  const ports: GammaPorts = {
    // Gamma's one region as the wave engine's one wave: the same alarm set, bake and rollback as prod.
    deploy: async (d, hooks) => {
      let hookError: unknown;
      const rollout = await runRollout(
        new CfnWaves(cfn),
        { envName: "gamma", digest: d, waves: planWaves(env), ...rolloutRules(env, cfn.templateBody) },
        new ActionLog("gamma", () => new Date()),
        { deploy: "deploy-software", alarms: "monitoring", rollback: "deploy-software" },
        {
          afterDeploy: async (_wave, [deployment]) => {
            try {
              if (deployment) await hooks?.beforeBake?.(deployment);
              return undefined;
            } catch (e) {
              hookError = e;
              return errorMessage(e);
            }
          },
        },
      );
      if (hookError) throw hookError;
      const [deployment] = rollout.deployments;
      if (!deployment) throw new Error(rollout.message ?? `the deployer reported no stack in ${region}`);
      return deployment;
    },
    canary: async (_endpoint, deployment) =>
      environmentCanary(ctx.source, synthetics, { name: deployment.stackName, outputs: deployment.outputs }, await aws.world.synthetics("gamma", region, credentials)),
    ...(capacity
      ? {
          capacity: async (endpoint: string) => {
            const result = await capacityTestAgainst(ctx.source, capacity, endpoint, { digest, runId: ctx.runId, ...(await capacityBaseline(ctx)) });
            if (result.newBaseline) ctx.reports.addText("gamma/capacity-baseline.json", JSON.stringify(result.newBaseline, null, 2));
            return result;
          },
        }
      : {}),
    ...(chaos && capacity
      ? {
          chaos: async (endpoint: string, templateId: string) =>
            gammaChaosTest(ctx.source, capacity.script, endpoint, await aws.world.fis("gamma", region, credentials), chaosSettingsFrom(chaos, templateId, ctx.runId), {
              runId: ctx.runId,
            }),
        }
      : {}),
    ...(db ? { dbDeploy: { beforeDeploy: (d: string) => db.beforeDeploy(region, d), afterCreate: () => db.afterCreate(region) } } : {}),
    now: () => new Date(),
  };

  const result = await runGammaStage(ports, {
    digest,
    endpointOutput: synthetics.endpointOutput,
    imageParameter: env.imageParameter,
    configuredAlarms: env.alarms,
    ...(env.allowNoAlarms ? { allowNoAlarms: env.allowNoAlarms } : {}),
    bakeMinutes: env.bakeMinutes,
    ...(chaos
      ? {
          chaos: {
            ...(chaos.experimentTemplateId ? { experimentTemplateId: chaos.experimentTemplateId } : {}),
            ...(chaos.experimentTemplateOutput ? { experimentTemplateOutput: chaos.experimentTemplateOutput } : {}),
          },
        }
      : {}),
  });
  // Passed or failed, the verdict is recorded against the digest (a failed record makes it unpromotable).
  await recordGammaVerdict(ctx, result, env, region);
  ctx.gamma = gammaHandOff(result);
  const summary = formatActions(result.actions);
  ctx.details.push(`## Test (Gamma): steps\n\n${summary}\n`);
  ctx.reports.addText("gamma/steps.md", summary + "\n");
  if (result.passed && config.environments.prod) {
    ctx.approvalReport = approvalReport({ digest, changeSets: await prodChangeSets(ctx, reference), gammaSummary: summary });
    ctx.reports.addText("approval-report.md", ctx.approvalReport);
  }
  return result;
}

/**
 * The prod change sets for the reviewer, created (not executed) now so that the prod deploy executes
 * exactly these. The Gamma job's role may not reach prod: then the report says so, and the prod
 * step shows the change sets next to the approval.
 */
async function prodChangeSets(ctx: DaggerReleaseContext, reference: string): Promise<ChangeSetPreview[]> {
  try {
    return await previewChangeSets(await cfnEnvironment(ctx, "prod", reference));
  } catch (err) {
    const why = errorMessage(err);
    return [{ stack: environmentOf(ctx, "prod").stackName, region: "all prod regions", diff: `(change sets not available from the Gamma step: ${why.split("\n")[0]})` }];
  }
}

async function capacityBaseline(ctx: DaggerReleaseContext): Promise<{ baseline?: { text: string; file: string } }> {
  const file = ctx.config.capacity?.baseline;
  if (!file) return {};
  return { baseline: { text: await ctx.source.file(file).contents(), file } };
}

/** Gamma as a release stage: the launch and deploy of the stack, monitoring, synthetics, capacity, chaos. */
export const gammaStage: StageProvider<DaggerReleaseContext, "gamma"> = {
  stage: "gamma",
  runners(ctx) {
    let once: Promise<GammaResult> | undefined;
    const run = () => (once ??= runGamma(ctx));
    const of =
      (...models: Parameters<typeof outcomeFromSteps>[1]) =>
      async () =>
        outcomeFromSteps((await run()).actions, models);
    return {
      // The CloudFormation stack launches the environment and deploys the software in one update.
      "gamma.launch-env": async () => {
        const steps = (await run()).actions;
        const deployRan = steps.some((a) => a.modelAction === "deploy-software" && a.status !== "skipped");
        // A failed DB deploy is the DB deploy's failure, not the environment's: before the software
        // deploy it leaves the existing stack as it was; on a first deploy it ran in the created stack.
        if (steps.some((a) => a.modelAction === "db-deploy" && a.status === "failed")) {
          return {
            ok: true,
            summary: deployRan
              ? "stack created; the DB deploy into it failed (see db-deploy)"
              : "stack not changed: the DB deploy before the software deploy failed (see db-deploy)",
          };
        }
        return outcomeFromSteps(steps, ["deploy-software"]);
      },
      // Into the existing stack before the software deploy; into a new stack right after it is created.
      "gamma.db-deploy": of("db-deploy"),
      // With Gamma's verdict recorded against the digest: without the record the digest is not promotable.
      "gamma.deploy-software": of("deploy-software", "verdict"),
      "gamma.monitoring": of("monitoring"),
      "gamma.synthetic-tests": of("synthetic-tests"),
      "gamma.capacity-tests": of("capacity-tests"),
      "gamma.chaos-tests": async () => {
        if (!ctx.config.capacity) return { ok: false, summary: "the chaos test runs the k6 load of `capacity.script`: set the capacity section too" };
        return outcomeFromSteps((await run()).actions, ["chaos-tests"]);
      },
    };
  },
};
