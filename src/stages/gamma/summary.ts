import type { StageAction } from "../aws-environment/steps.js";
import type { GammaHandOff } from "../../pipeline/context.dagger.js";
import type { GammaResult } from "./stage.js";

const ICON: Record<StageAction["status"], string> = { passed: "ok", failed: "FAILED", skipped: "skipped", warning: "warning" };

/** The actions as a Markdown list for the release summary; multi-line details are indented under their action. */
export function formatActions(actions: readonly StageAction[]): string {
  return actions
    .map((a) => {
      const [first = "", ...rest] = a.detail.split("\n");
      const head = `- ${a.stage} · ${a.name}${a.region ? ` (${a.region})` : ""}: **${ICON[a.status]}** ${first}`.trimEnd();
      return [head, ...rest.map((l) => `  ${l}`)].join("\n");
    })
    .join("\n");
}

/**
 * The digest prod must deploy: the one Gamma deployed and verified from its stack parameters.
 * Refuses when Gamma did not pass, so prod never starts from an unverified image.
 */
export function digestForProd(gamma: GammaResult): string {
  if (!gamma.passed) {
    const failed = gamma.actions.find((a) => a.status === "failed");
    throw new Error(`Gamma did not pass${failed ? ` (${failed.name}: ${failed.detail.split("\n")[0]})` : ""}: prod is not started`);
  }
  const verified = gamma.actions.some((a) => a.name === "verify digest" && a.status === "passed");
  if (!verified) throw new Error("Gamma passed without verifying the deployed digest: prod is not started");
  return gamma.digest;
}

/** What Gamma hands on to Prod in the same run. */
export function gammaHandOff(gamma: GammaResult): GammaHandOff {
  return { passed: gamma.passed, digest: gamma.digest, digestForProd: () => digestForProd(gamma), summary: formatActions(gamma.actions) };
}
