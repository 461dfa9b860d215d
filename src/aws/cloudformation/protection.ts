import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { cloudFormationSdk } from "../sdk.js";
import type { ChangeSetDiff, ResourceChangeView } from "./diff.js";
import { Backoff, isThrottling, sleep } from "./poll.js";

/** Resource types that hold data: replacing one loses the data unless it was moved first. */
export const STATEFUL_TYPES = [
  "AWS::RDS::DBInstance",
  "AWS::RDS::DBCluster",
  "AWS::RDS::GlobalCluster",
  "AWS::DocDB::DBCluster",
  "AWS::DocDB::DBInstance",
  "AWS::Neptune::DBCluster",
  "AWS::S3::Bucket",
  "AWS::DynamoDB::Table",
  "AWS::DynamoDB::GlobalTable",
  "AWS::EFS::FileSystem",
  "AWS::FSx::FileSystem",
  "AWS::ElastiCache::ReplicationGroup",
  "AWS::ElastiCache::CacheCluster",
  "AWS::MemoryDB::Cluster",
  "AWS::OpenSearchService::Domain",
  "AWS::Elasticsearch::Domain",
  "AWS::Kinesis::Stream",
  "AWS::SQS::Queue",
  "AWS::Cognito::UserPool",
  "AWS::EC2::Volume",
  "AWS::Redshift::Cluster",
  "AWS::KMS::Key",
  "AWS::SecretsManager::Secret",
  "AWS::Backup::BackupVault",
  "AWS::Logs::LogGroup",
] as const;

export interface ReplacementFinding {
  logicalId: string;
  resourceType: string;
  replacement: "True" | "Conditional";
  /** Logical IDs of the nested stacks that contain it, outermost first. */
  path: string[];
}

/**
 * Stateful resources that the change set replaces (certainly or conditionally) and that
 * `allowReplacement` does not list. Nested stacks are searched too.
 */
export function findStatefulReplacements(diff: ChangeSetDiff, allowReplacement: readonly string[], extraTypes: readonly string[] = []): ReplacementFinding[] {
  const types = new Set<string>([...STATEFUL_TYPES, ...extraTypes]);
  const allowed = new Set(allowReplacement);
  const found: ReplacementFinding[] = [];
  const walk = (d: ChangeSetDiff, path: string[]) => {
    for (const c of d.changes) {
      if (isReplacing(c) && types.has(c.resourceType) && !allowed.has(c.logicalId)) {
        found.push({ logicalId: c.logicalId, resourceType: c.resourceType, replacement: c.replacement as "True" | "Conditional", path });
      }
      if (c.nested) walk(c.nested, [...path, c.logicalId]);
    }
  };
  walk(diff, []);
  return found;
}

function isReplacing(c: ResourceChangeView): boolean {
  return c.action === "Modify" && (c.replacement === "True" || c.replacement === "Conditional");
}

export function formatReplacementRefusal(stackName: string, findings: ReplacementFinding[]): string {
  const list = findings.map((f) => `  - ${[...f.path, f.logicalId].join("/")} (${f.resourceType}, replacement ${f.replacement})`).join("\n");
  return (
    `Refusing to deploy ${stackName}: the change set replaces stateful resources, which would lose their data:\n${list}\n` +
    "Move the data first, or list the logical IDs under `protection.allowReplacement` in dpra.yaml when the replacement is intended."
  );
}

/**
 * A stack policy that lets every update through except replacing or deleting stateful resources,
 * other than the logical IDs in `allowReplacement`.
 */
export function statefulStackPolicy(allowReplacement: readonly string[], extraTypes: readonly string[] = []): string {
  const deny: Record<string, unknown> = {
    Effect: "Deny",
    Principal: "*",
    Action: ["Update:Replace", "Update:Delete"],
    Condition: { StringEquals: { ResourceType: [...STATEFUL_TYPES, ...extraTypes] } },
  };
  if (allowReplacement.length > 0) deny.NotResource = allowReplacement.map((id) => `LogicalResourceId/${id}`);
  else deny.Resource = "*";
  return JSON.stringify({
    Statement: [{ Effect: "Allow", Principal: "*", Action: "Update:*", Resource: "*" }, deny],
  });
}

export async function applyStackPolicy(client: CloudFormationClient, stackName: string, policy: string): Promise<void> {
  await client.send(new (await cloudFormationSdk()).SetStackPolicyCommand({ StackName: stackName, StackPolicyBody: policy }));
}

export async function enableTerminationProtection(client: CloudFormationClient, stackName: string): Promise<void> {
  await client.send(new (await cloudFormationSdk()).UpdateTerminationProtectionCommand({ StackName: stackName, EnableTerminationProtection: true }));
}

export interface DriftReport {
  drifted: boolean;
  status: string;
  resources: { logicalId: string; resourceType: string; status: string }[];
}

/** Runs drift detection and waits for it (bounded by `timeoutMs`). */
export async function detectDrift(client: CloudFormationClient, stackName: string, opts: { pollMs: number; timeoutMs: number; signal?: AbortSignal }): Promise<DriftReport> {
  const { StackDriftDetectionId: id } = await client.send(new (await cloudFormationSdk()).DetectStackDriftCommand({ StackName: stackName }));
  if (!id) throw new Error(`DetectStackDrift on ${stackName} returned no detection ID`);
  const deadline = Date.now() + opts.timeoutMs;
  const backoff = new Backoff(opts.pollMs, 60_000);
  for (;;) {
    let throttled = false;
    try {
      const s = await client.send(new (await cloudFormationSdk()).DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: id }));
      if (s.DetectionStatus === "DETECTION_FAILED") {
        throw new Error(`drift detection on ${stackName} failed: ${s.DetectionStatusReason ?? "no reason given"}. Fix it or set protection.detectDrift: false.`);
      }
      if (s.DetectionStatus === "DETECTION_COMPLETE") {
        const status = s.StackDriftStatus ?? "UNKNOWN";
        if (status !== "DRIFTED") return { drifted: false, status, resources: [] };
        return { drifted: true, status, resources: await driftedResources(client, stackName) };
      }
    } catch (err) {
      if (!isThrottling(err)) throw err;
      throttled = true;
    }
    if (Date.now() >= deadline) throw new Error(`drift detection on ${stackName} did not finish in ${Math.round(opts.timeoutMs / 1000)} s`);
    await sleep(backoff.next(throttled), opts.signal);
  }
}

async function driftedResources(client: CloudFormationClient, stackName: string): Promise<DriftReport["resources"]> {
  const out: DriftReport["resources"] = [];
  let next: string | undefined;
  do {
    const page = await client.send(
      new (await cloudFormationSdk()).DescribeStackResourceDriftsCommand({ StackName: stackName, StackResourceDriftStatusFilters: ["MODIFIED", "DELETED"], NextToken: next }),
    );
    for (const d of page.StackResourceDrifts ?? []) {
      out.push({ logicalId: d.LogicalResourceId ?? "?", resourceType: d.ResourceType ?? "?", status: d.StackResourceDriftStatus ?? "?" });
    }
    next = page.NextToken;
  } while (next);
  return out;
}

export function formatDriftRefusal(stackName: string, report: DriftReport): string {
  const list = report.resources.map((r) => `  - ${r.logicalId} (${r.resourceType}): ${r.status}`).join("\n");
  return (
    `Refusing to deploy ${stackName}: drift detection found changes made outside CloudFormation:\n${list || "  (no resource details returned)"}\n` +
    "Bring the resources back to the template (or the template to the resources), then deploy again."
  );
}
