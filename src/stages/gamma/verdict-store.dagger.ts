// Gamma's verdict, recorded against the image digest as an OCI referrer in ECR
// (GAMMA_VERDICT_ARTIFACT_TYPE, one gamma-verdict.json) and read back by a prod-only release before
// its approval and before any change set. Written as the pipeline's artifact role (the role that
// pushes images), read as the prod role: no access to the Gamma account is needed to promote.
// Record and decision: src/stages/gamma/verdict.ts. See docs/gamma-prod.md#gammas-verdict.
import { dag, type Container } from "@dagger.io/dagger";
import { parseCiVars, githubRunUrl } from "../../actions/approval/approval.js";
import { ecrHostParts, ecrRegistry, type Registry } from "../../aws/ecr/client.js";
import type { AwsEnvironment } from "../../config/sections/environments.js";
import { referrerSubject } from "../../publish/referrer-subject.js";
import { containerExecutor, readReferrerFiles } from "../../publish/referrers-fetch.dagger.js";
import { attachReferrer, orasContainer } from "../../publish/referrers.dagger.js";
import type { GammaResult } from "./stage.js";
import {
  decidePromotion,
  GAMMA_VERDICT_ARTIFACT_TYPE,
  GAMMA_VERDICT_FILE,
  verdictFileText,
  type PromotionDecision,
  type ReadVerdict,
  type VerdictStore,
} from "../../pipeline/promotion.js";
import { verdictRecordOf } from "./verdict.js";
import { environmentOf, releaseAws } from "../aws-environment/environment.dagger.js";
import type { DaggerReleaseContext } from "../../pipeline/context.dagger.js";
import { errorMessage } from "../../errors.js";

/** The verdict store in the image's registry, through the pinned ORAS image, logged in as `registry`'s identity. */
export function orasVerdictStore(registry: Registry, runId: string): VerdictStore {
  let base: Promise<Container> | undefined;
  const oras = (subject: string) => (base ??= orasContainer(registry, subject, runId));
  const artifact = { fileName: GAMMA_VERDICT_FILE, artifactType: GAMMA_VERDICT_ARTIFACT_TYPE };
  return {
    attach: async (subject, record) => {
      const file = dag.directory().withNewFile(GAMMA_VERDICT_FILE, verdictFileText(record)).file(GAMMA_VERDICT_FILE);
      return attachReferrer(await oras(subject), subject, artifact, file);
    },
    // Read now, not from the cache of an earlier read in a rerun with the same run ID.
    read: async (subject) =>
      readReferrerFiles(
        containerExecutor((await oras(subject)).withEnvVariable("DPRA_READ_AT", new Date().toISOString())),
        subject,
        GAMMA_VERDICT_ARTIFACT_TYPE,
        GAMMA_VERDICT_FILE,
      ),
  };
}

/**
 * The registry of the image `reference` names, as the artifact role (writing Gamma's verdict, like
 * publish's referrers) or the prod role (reading it). The ECR login is regional: the region comes
 * from the reference's host.
 */
async function verdictRegistry(ctx: DaggerReleaseContext, reference: string, as: "artifact" | "prod"): Promise<Registry> {
  const { name } = referrerSubject(reference);
  const host = name.slice(0, name.indexOf("/"));
  const parts = ecrHostParts(host);
  if (!parts) throw new Error(`${reference} is not in an ECR registry (<account>.dkr.ecr.<region>.amazonaws.com): Gamma verdicts are kept as referrers in ECR`);
  const roleArn = as === "artifact" ? ctx.config.artifact?.ecr.roleArn : environmentOf(ctx, "prod").roleArn;
  const identity = (await releaseAws(ctx).identity()).forRole(as, roleArn, parts.region);
  return ecrRegistry(identity, parts.accountId, parts.region);
}

async function storeAs(ctx: DaggerReleaseContext, reference: string, as: "artifact" | "prod"): Promise<VerdictStore> {
  return releaseAws(ctx).world.verdicts(await verdictRegistry(ctx, reference, as), ctx.runId);
}

function runUrlOf(ctx: DaggerReleaseContext): string | undefined {
  const vars = ctx.approvalInput?.ciVars;
  if (!vars) return undefined;
  try {
    return githubRunUrl(parseCiVars(vars));
  } catch {
    // Malformed CI variables are the approval's to report; the record then names the run ID only.
    return undefined;
  }
}

/**
 * Records Gamma's verdict (passed or failed, with every check) against the digest, as a step
 * "record verdict" of the Gamma result. When the record cannot be attached, the step fails and a
 * passed Gamma is turned into a failed one: a pass nobody can read later would make the digest
 * unpromotable anyway, and this run's prod must not go ahead on an unrecorded pass.
 */
export async function recordGammaVerdict(ctx: DaggerReleaseContext, result: GammaResult, env: AwsEnvironment, region: string): Promise<void> {
  const startedAt = new Date();
  let status: "passed" | "failed";
  let detail: string;
  try {
    const reference = await releaseAws(ctx).reference();
    const { name, digest } = referrerSubject(reference);
    const runUrl = runUrlOf(ctx);
    const record = verdictRecordOf(result, {
      repository: name,
      runId: ctx.runId,
      ...(runUrl ? { runUrl } : {}),
      recordedAt: startedAt,
      environment: { account: env.account, region, stack: env.stackName },
    });
    const outcome = await (await storeAs(ctx, reference, "artifact")).attach(`${name}@${digest}`, record);
    if (outcome.status === "attached") {
      status = "passed";
      detail = `"${record.verdict}" attached to ${digest} as ${outcome.digest} (${GAMMA_VERDICT_ARTIFACT_TYPE})`;
    } else {
      status = "failed";
      detail = `the "${record.verdict}" verdict was NOT recorded against ${digest}: ${outcome.status === "failed" ? outcome.error : outcome.reason}`;
    }
  } catch (err) {
    status = "failed";
    detail = `the verdict was NOT recorded: ${errorMessage(err)}`;
  }
  if (status === "failed" && result.passed) {
    result.passed = false;
    detail += ". Gamma's checks passed, but a later prod-only release would find no pass record: this Gamma run counts as failed; run it again";
  }
  result.actions.push({
    stage: "gamma",
    modelAction: "verdict",
    name: "record verdict",
    status,
    detail,
    region,
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
  });
}

/** What a prod-only release tells the caller to run first for `reference`. */
export function gammaCommandFor(reference: string): string {
  return `dagger call --source=. release --env=gamma --digest=${reference}`;
}

/**
 * A prod-only release's check, before its approval and before any change set: the newest Gamma
 * verdict attached to the digest must be a pass. Read as the prod role. Throws with the reason.
 */
export async function requireGammaPass(ctx: DaggerReleaseContext, reference: string): Promise<Extract<PromotionDecision, { promotable: true }>> {
  const { name, digest } = referrerSubject(reference);
  let verdicts: ReadVerdict[];
  try {
    verdicts = await (await storeAs(ctx, reference, "prod")).read(`${name}@${digest}`);
  } catch (err) {
    throw new Error(`refusing to deploy ${reference} to prod: its Gamma verdicts cannot be read (${errorMessage(err)})`, { cause: err });
  }
  const decision = decidePromotion(digest, verdicts, gammaCommandFor(reference));
  if (!decision.promotable) throw new Error(`refusing to deploy ${reference} to prod: ${decision.reason}`);
  return decision;
}
