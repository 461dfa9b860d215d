import { z } from "zod";
import { DIGEST_PATTERN } from "../../digest.js";

/** A 12-digit AWS account ID. Strings only: YAML would turn a bare number with a leading zero into something else. */
export const AccountId = z
  .string({ error: 'expected a 12-digit AWS account ID in quotes, e.g. "123456789012"' })
  .regex(/^\d{12}$/, { error: 'expected a 12-digit AWS account ID, e.g. "123456789012"' });

export const Region = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, { error: 'expected an AWS region name, e.g. "eu-west-1"' });

export const RoleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, {
  error: 'expected an IAM role ARN, e.g. "arn:aws:iam::123456789012:role/dpra-deploy"',
});

/** A relative path inside the application source. Absolute paths and `..` would escape the source directory. */
export const RelativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), {
    error: "expected a path relative to the application source, without a leading / or ..",
  });

/** An image reference pinned by digest, e.g. `node:22-alpine@sha256:<64 hex>`. */
export const PinnedImage = z.string().regex(new RegExp(`^[\\w.\\-/:]+@${DIGEST_PATTERN}$`), {
  error: 'expected an image pinned by digest, e.g. "node:22-alpine@sha256:<64 hex digits>"',
});

/** A shell command line, run with `sh -c` inside the container. */
export const Command = z.string().min(1, { error: "expected a non-empty command" });

/** Durations are whole minutes or seconds, so that no unit parsing is needed. */
export const Minutes = z
  .number()
  .int()
  .min(0)
  .max(24 * 60);
export const Seconds = z
  .number()
  .int()
  .min(0)
  .max(24 * 3600);

export const Severity = z.enum(["critical", "high", "medium", "low", "info"]);
export type Severity = z.infer<typeof Severity>;
