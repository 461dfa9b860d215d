// Promotion without rebuild: the same digest, in another repository, account or region.
// Routes, in order of preference:
//   same-repository  re-tag by digest with PutImage (nothing is copied);
//   replication      ECR replication already copies the image: wait for the digest in the target;
//   copy             copy blobs through the ECR API (GetDownloadUrlForLayer -> layer upload) and
//                    PutImage the unchanged manifest, which keeps the digest. A pull and re-push
//                    would re-export the image and may change its digest, so it is not used.
// Every route ends by reading the digest back from the target and comparing it with the source.
import type { ReplicationRule } from "@aws-sdk/client-ecr";
import { DigestMismatchError } from "../../digest.js";
import { ecrSdk } from "../sdk.js";
import { realSleep } from "../retry.js";
import { codeOf, ecrCall, repositoryUri, type Registry } from "./client.js";
import { copyImage, fetchBlob, type ImageLocation } from "./copy.js";
import { tagByDigest } from "./images.js";

export type { ImageLocation };

export type PromotionRoute = "same-repository" | "replication" | "copy";

export interface PromotionOutcome {
  route: PromotionRoute;
  digest: string;
  /** `targetUri@sha256:...` */
  reference: string;
  tag?: string;
  /** Blobs uploaded by the copy route (0 when the target had them all). */
  copiedBlobs: number;
}

/** Does a replication rule of the source registry send `repository` to the target registry? */
export function replicates(rules: readonly ReplicationRule[], repository: string, target: { accountId: string; region: string }): boolean {
  return rules.some(
    (rule) =>
      (rule.destinations ?? []).some((d) => d.region === target.region && d.registryId === target.accountId) &&
      ((rule.repositoryFilters ?? []).length === 0 ||
        (rule.repositoryFilters ?? []).some((f) => f.filterType === "PREFIX_MATCH" && f.filter !== undefined && repository.startsWith(f.filter))),
  );
}

/** Picks the route. Pure: `rules` are the source registry's replication rules. */
export function choosePromotionRoute(source: ImageLocation, target: ImageLocation, rules: readonly ReplicationRule[]): PromotionRoute {
  const sameRegistry = source.registry.accountId === target.registry.accountId && source.registry.region === target.registry.region;
  if (sameRegistry && source.repository === target.repository) return "same-repository";
  // Replication keeps the repository name.
  if (!sameRegistry && source.repository === target.repository && replicates(rules, source.repository, target.registry)) return "replication";
  return "copy";
}

export interface PromoteOptions {
  digest: string;
  /** Tag to give the image in the target (e.g. the git revision). */
  tag?: string;
  /** How long to wait for replication. */
  replicationWaitSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Streams a blob from a pre-signed URL; defaults to fetch. */
  download?: (url: string) => AsyncIterable<Uint8Array>;
}

export async function promoteImage(source: ImageLocation, target: ImageLocation, opts: PromoteOptions): Promise<PromotionOutcome> {
  const sameRegistry = source.registry.accountId === target.registry.accountId && source.registry.region === target.registry.region;
  const rules = sameRegistry ? [] : await replicationRules(source.registry);
  const route = choosePromotionRoute(source, target, rules);
  let copiedBlobs = 0;
  if (route === "replication") {
    await waitForDigest(target, opts.digest, opts.replicationWaitSeconds ?? 600, opts.sleep ?? realSleep);
  } else if (route === "copy") {
    copiedBlobs = await copyImage(source, target, opts.digest, opts.download ?? fetchBlob);
  }
  if (opts.tag !== undefined) await tagByDigest(target.registry, target.repository, opts.digest, opts.tag);
  await verifyDigest(target, opts.digest, opts.tag);
  const uri = repositoryUri(target.registry.accountId, target.registry.region, target.repository);
  return { route, digest: opts.digest, reference: `${uri}@${opts.digest}`, ...(opts.tag ? { tag: opts.tag } : {}), copiedBlobs };
}

async function replicationRules(registry: Registry): Promise<ReplicationRule[]> {
  const out = await ecrCall(registry, "DescribeRegistry", undefined, async () => registry.client.send(new (await ecrSdk()).DescribeRegistryCommand({})));
  return out.replicationConfiguration?.rules ?? [];
}

/** Polls the target until the digest appears (replication is asynchronous). Bounded; exponential backoff. */
async function waitForDigest(target: ImageLocation, digest: string, waitSeconds: number, sleep: (ms: number) => Promise<void>): Promise<void> {
  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    if ((await digestIn(target, { imageDigest: digest })) === digest) return;
    if (waited >= waitSeconds * 1000) {
      throw new Error(
        `ECR replication: ${target.repository}@${digest} did not appear in account ${target.registry.accountId} ${target.registry.region} ` +
          `within ${waitSeconds} s. Check the registry's replication status (DescribeImageReplicationStatus) and rerun the promotion.`,
      );
    }
    const delay = Math.min(30_000, 2_000 * 2 ** attempt, waitSeconds * 1000 - waited);
    await sleep(delay);
    waited += delay;
  }
}

/** The digest the target holds for an image ID, or undefined when the image (or the repository) is not there. */
async function digestIn(target: ImageLocation, imageId: { imageDigest?: string; imageTag?: string }): Promise<string | undefined> {
  try {
    const out = await ecrCall(target.registry, "DescribeImages", target.repository, async () =>
      target.registry.client.send(new (await ecrSdk()).DescribeImagesCommand({ repositoryName: target.repository, registryId: target.registry.accountId, imageIds: [imageId] })),
    );
    return out.imageDetails?.[0]?.imageDigest;
  } catch (err) {
    const code = codeOf(err);
    if (code === "ImageNotFoundException" || code === "RepositoryNotFoundException") return undefined;
    throw err;
  }
}

async function verifyDigest(target: ImageLocation, digest: string, tag: string | undefined): Promise<void> {
  const found = await digestIn(target, tag !== undefined ? { imageTag: tag } : { imageDigest: digest });
  if (found !== digest) {
    const where = `${target.repository}${tag !== undefined ? `:${tag}` : `@${digest}`} in account ${target.registry.accountId} ${target.registry.region}`;
    throw new DigestMismatchError(
      `Promotion check failed: ${where} holds ${found ?? "nothing"}, expected ${digest} from the source. ` +
        "The image deployed must be the one that was built and tested; nothing was deployed. Investigate the target repository before rerunning.",
    );
  }
}
