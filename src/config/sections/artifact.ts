import { z } from "zod";
import { AccountId, Region, RoleArn, Seconds } from "./common.js";

/** A copy of the image in an environment's own registry (another account and/or region). */
export const PromotionTarget = z.strictObject({
  account: AccountId,
  region: Region,
  /** Repository in the target registry; defaults to the source repository's name. */
  repository: z.string().min(1).optional(),
});
export type PromotionTarget = z.infer<typeof PromotionTarget>;

/** Where the packaged image is stored: one Amazon ECR repository, promoted by digest. */
export const ArtifactConfig = z.strictObject({
  ecr: z.strictObject({
    /** Repository name, e.g. `fruit-api`. */
    repository: z.string().regex(/^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/, {
      error: "expected an ECR repository name: lowercase letters, digits, and . _ - / separators",
    }),
    /** Account that owns the repository (the tooling/build account). */
    account: AccountId,
    region: Region,
    /** Role assumed (chained) to reach the repository's account; without it the caller's credentials are used. */
    roleArn: RoleArn.optional(),
    encryption: z
      .strictObject({
        type: z.enum(["AES256", "KMS"]).default("AES256"),
        kmsKey: z.string().optional(),
      })
      .prefault({}),
    lifecycle: z
      .strictObject({
        /** Keep this many tagged images. */
        keepTagged: z.number().int().min(1).default(50),
        /** Expire untagged images after this many days. */
        untaggedDays: z.number().int().min(1).default(7),
      })
      .prefault({}),
    /** Accounts (e.g. gamma and prod) allowed to pull from the repository. */
    pullAccounts: z.array(AccountId).default([]),
    /** Seconds to wait for the scan on push to finish before reporting a timeout. */
    scanWaitSeconds: Seconds.default(600),
  }),
  /**
   * Environments that deploy from their own registry: the image is copied there by digest (ECR replication
   * when configured, else a manifest and layer copy). Environments not listed pull from the repository above.
   */
  promote: z.strictObject({ gamma: PromotionTarget.optional(), prod: PromotionTarget.optional() }).default({}),
});
export type ArtifactConfig = z.infer<typeof ArtifactConfig>;
