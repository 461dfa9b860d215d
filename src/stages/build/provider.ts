// The build stage as a release provider: the build runs as one call, and each DPRA build action
// reads its own outcome from it. Engine-free; the Dagger build is provider.dagger.ts.
import { runnersOf, type BuildStageOutput, type BuildStageRunner, type ReleaseContext, type StageProvider } from "../../pipeline/stage.js";

/**
 * Adapts a build that runs as one call into per-action runners: the call runs once, each build
 * action reports its own outcome from it, and the output is kept in the context for later stages.
 */
export function buildStageProvider<TImage, C extends ReleaseContext<TImage>>(runBuild: BuildStageRunner<TImage, C>): StageProvider<C, "build"> {
  return {
    stage: "build",
    runners(ctx) {
      let once: Promise<BuildStageOutput<TImage>> | undefined;
      const output = (signal: AbortSignal) => {
        once ??= runBuild(signal, ctx).then((out) => {
          ctx.build = out;
          return out;
        });
        return once;
      };
      return runnersOf("build", (id) => async ({ signal }) => {
        const out = await output(signal);
        const outcome = out.actions[id];
        if (!outcome) return { ok: false, summary: `the build stage reported no outcome for ${id}` };
        if (id === "build.package-artifacts" && outcome.ok && out.image === undefined) {
          return { ok: false, summary: "the build stage reported a package but handed on no image" };
        }
        return outcome;
      });
    },
  };
}
