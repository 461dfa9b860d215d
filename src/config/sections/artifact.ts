import { z } from "zod";
import { AccountId, Region } from "./common.js";

/** Where the packaged image is stored: one Amazon ECR repository, promoted by digest. */
export const ArtifactConfig = z.strictObject({
  ecr: z.strictObject({
    /** Repository name, e.g. `fruit-api`. */
    repository: z
      .string()
      .regex(/^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/, {
        error: "expected an ECR repository name: lowercase letters, digits, and . _ - / separators",
      }),
    /** Account that owns the repository (the tooling/build account). */
    account: AccountId,
    region: Region,
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
  }),
  /** Attach SBOM and provenance as OCI referrers; sign with AWS Signer when a profile is given. */
  signing: z
    .strictObject({
      signerProfile: z.string().min(1),
    })
    .optional(),
});
export type ArtifactConfig = z.infer<typeof ArtifactConfig>;
