import type { Change, CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { cloudFormationSdk } from "../sdk.js";

/** One resource change of a change set, in the deployer's own terms. */
export interface ResourceChangeView {
  action: "Add" | "Modify" | "Remove" | "Import" | "Dynamic";
  logicalId: string;
  physicalId?: string;
  resourceType: string;
  /** Only for Modify: "True", "False" or "Conditional". */
  replacement?: "True" | "False" | "Conditional";
  /** What changes: Properties, Metadata, Tags... */
  scope: string[];
  /** Properties whose change causes the replacement or is part of the modification. */
  properties: string[];
  /** The nested stack's own changes, for AWS::CloudFormation::Stack resources. */
  nested?: ChangeSetDiff;
}

export interface ChangeSetDiff {
  stackName: string;
  changeSetName: string;
  changes: ResourceChangeView[];
}

const MAX_NESTED_DEPTH = 5;

/** Reads every page of a change set, and the change sets of its nested stacks, as a diff. */
export async function describeChangeSetDiff(client: CloudFormationClient, stackName: string, changeSet: string, depth = 0): Promise<ChangeSetDiff> {
  const changes: Change[] = [];
  let next: string | undefined;
  let resolvedStack = stackName;
  let resolvedName = changeSet;
  // Throttling is retried by the SDK client, the one retry layer (docs/aws-retries.md).
  do {
    const page = await client.send(
      new (await cloudFormationSdk()).DescribeChangeSetCommand({ StackName: changeSet.startsWith("arn:") ? undefined : stackName, ChangeSetName: changeSet, NextToken: next }),
    );
    changes.push(...(page.Changes ?? []));
    resolvedStack = page.StackName ?? resolvedStack;
    resolvedName = page.ChangeSetName ?? resolvedName;
    next = page.NextToken;
  } while (next);
  const views: ResourceChangeView[] = [];
  for (const change of changes) {
    const rc = change.ResourceChange;
    if (!rc) continue;
    const view: ResourceChangeView = {
      action: (rc.Action ?? "Modify") as ResourceChangeView["action"],
      logicalId: rc.LogicalResourceId ?? "?",
      physicalId: rc.PhysicalResourceId,
      resourceType: rc.ResourceType ?? "?",
      replacement: rc.Action === "Modify" ? (rc.Replacement as ResourceChangeView["replacement"]) : undefined,
      scope: rc.Scope ?? [],
      properties: [...new Set((rc.Details ?? []).map((d) => d.Target?.Name).filter((n): n is string => Boolean(n)))],
    };
    if (rc.ResourceType === "AWS::CloudFormation::Stack" && rc.ChangeSetId && depth < MAX_NESTED_DEPTH) {
      // A nested change set is addressed by its ARN; its stack is named in the ARN's response.
      view.nested = await describeChangeSetDiff(client, rc.PhysicalResourceId ?? rc.LogicalResourceId ?? stackName, rc.ChangeSetId, depth + 1);
    }
    views.push(view);
  }
  return { stackName: resolvedStack, changeSetName: resolvedName, changes: views };
}

/** Counts of a diff, nested stacks included. */
export function summarizeDiff(diff: ChangeSetDiff): { add: number; modify: number; remove: number; replace: number; conditional: number } {
  const totals = { add: 0, modify: 0, remove: 0, replace: 0, conditional: 0 };
  const walk = (d: ChangeSetDiff) => {
    for (const c of d.changes) {
      if (c.action === "Add") totals.add++;
      else if (c.action === "Remove") totals.remove++;
      else totals.modify++;
      if (c.replacement === "True") totals.replace++;
      if (c.replacement === "Conditional") totals.conditional++;
      if (c.nested) walk(c.nested);
    }
  };
  walk(diff);
  return totals;
}

const SYMBOL: Record<ResourceChangeView["action"], string> = { Add: "+", Modify: "~", Remove: "-", Import: "<", Dynamic: "?" };

/** The diff as text: one line per resource, nested stacks indented under their parent. */
export function formatDiff(diff: ChangeSetDiff, region?: string): string {
  const t = summarizeDiff(diff);
  const where = region ? ` (${region})` : "";
  const head =
    `Stack ${diff.stackName}${where}, change set ${diff.changeSetName}: ` +
    `${t.add} to add, ${t.modify} to modify, ${t.remove} to remove` +
    (t.replace + t.conditional > 0 ? `; replacement: ${t.replace} certain, ${t.conditional} conditional` : "");
  if (diff.changes.length === 0) return `${head}\n  (no changes)`;
  return [head, ...lines(diff, 1)].join("\n");
}

function lines(diff: ChangeSetDiff, indent: number): string[] {
  const pad = "  ".repeat(indent);
  const width = Math.max(...diff.changes.map((c) => c.logicalId.length));
  const out: string[] = [];
  for (const c of diff.changes) {
    const notes: string[] = [];
    if (c.replacement === "True") notes.push("REPLACE");
    if (c.replacement === "Conditional") notes.push("may replace");
    if (c.action === "Modify" && c.properties.length > 0) notes.push(`properties: ${c.properties.join(", ")}`);
    else if (c.action === "Modify" && c.scope.length > 0) notes.push(`scope: ${c.scope.join(", ")}`);
    out.push(`${pad}${SYMBOL[c.action]} ${c.logicalId.padEnd(width)}  ${c.resourceType}${notes.length > 0 ? `  (${notes.join("; ")})` : ""}`);
    if (c.nested) out.push(...lines(c.nested, indent + 1));
  }
  return out;
}
