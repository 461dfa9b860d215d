// The policy documents dpra puts on a repository, and a semantic comparison for drift checks
// (ECR may return a stored policy re-formatted, so text comparison would report false drift).
import { partitionOf } from "../partition.js";

export interface LifecycleRule {
  rulePriority: number;
  description: string;
  selection: {
    tagStatus: "tagged" | "untagged" | "any";
    tagPatternList?: string[];
    countType: "imageCountMoreThan" | "sinceImagePushed";
    countUnit?: "days";
    countNumber: number;
  };
  action: { type: "expire" };
}

/** Expire untagged images after `untaggedDays`; keep the `keepTagged` most recent tagged images. */
export function lifecyclePolicy(keepTagged: number, untaggedDays: number): { rules: LifecycleRule[] } {
  return {
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images ${untaggedDays} days after push`,
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: untaggedDays },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: `Keep the ${keepTagged} most recent tagged images`,
        selection: { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: keepTagged },
        action: { type: "expire" },
      },
    ],
  };
}

/** The ECR actions another account needs to pull an image. */
export const PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

/** Lets the listed accounts (e.g. the environments' accounts) pull; their own IAM policies still decide which roles may. */
export function pullPolicy(accounts: readonly string[], region: string): Record<string, unknown> {
  const partition = partitionOf(region);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DpraPullFromEnvironmentAccounts",
        Effect: "Allow",
        Principal: { AWS: [...accounts].sort().map((a) => `arn:${partition}:iam::${a}:root`) },
        Action: PULL_ACTIONS,
      },
    ],
  };
}

/**
 * JSON with object keys sorted, string lists sorted and one-element arrays unwrapped
 * (IAM treats "x" and ["x"] alike, and the order of principals or actions does not matter).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    if (items.every((i) => typeof i === "string")) items.sort();
    return items.length === 1 ? items[0] : items;
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Compares a stored policy text with the desired document. Unparseable text counts as different. */
export function samePolicy(storedText: string | undefined, desired: unknown): boolean {
  if (storedText === undefined) return false;
  try {
    return canonicalJson(JSON.parse(storedText)) === canonicalJson(desired);
  } catch {
    return false;
  }
}
