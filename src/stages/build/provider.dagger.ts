// The real build stage as the release's BuildStageRunner: it runs once, each build-stage action is
// judged on its own against the policy, and the verdicts are mapped onto the DPRA build actions.
import type { Container } from "@dagger.io/dagger";
import { imageMetadata, type SourceOrigin } from "./functions.dagger.js";
import { runBuildStage } from "./run.dagger.js";
import { judgeStage } from "./judge.dagger.js";
import { dpraBuildOutcomes } from "./dpra-actions.js";
import type { BuildStageRunner } from "../../pipeline/stage.js";
import type { DaggerReleaseContext } from "../../pipeline/context.dagger.js";

export function realBuild(origin: SourceOrigin): BuildStageRunner<Container, DaggerReleaseContext> {
  return async (_signal, ctx) => {
    const stage = await runBuildStage(ctx.source, ctx.config, imageMetadata(ctx.config, origin));
    const verdicts = await Promise.all(
      stage.outcomes.map(async (outcome) => {
        const verdict = await judgeStage(`dpra ${outcome.action}`, [outcome], ctx.source, ctx.config);
        return { action: outcome.action, passed: verdict.passed, summary: verdict.passed ? "passed" : (verdict.failure ?? "failed") };
      }),
    );
    ctx.reports.addDirectory("build", stage.reports);
    return {
      actions: dpraBuildOutcomes(verdicts),
      ...(stage.image ? { image: stage.image } : {}),
      ...(stage.testImage ? { testImage: stage.testImage } : {}),
    };
  };
}
