import { func, object } from "@dagger.io/dagger";
import { formatRootCause } from "../aws/cloudformation/events.js";
import type { RegionReport } from "../actions/progressive-deployment/cfn-waves.js";
import type { EnvironmentDeployment } from "../actions/progressive-deployment/deploy.js";
import { breachText, deploymentSummary } from "./core.js";

/** One output of a deployed stack. */
@object()
export class StackOutput {
  /** The output's key in the template. */
  @func() key: string;
  /** The output's value. */
  @func() value: string;
  /** The output's description, or "". */
  @func() description: string;
  /** The export name, or "" when the output is not exported. */
  @func() exportName: string;

  constructor(key: string, value: string, description: string, exportName: string) {
    this.key = key;
    this.value = value;
    this.description = description;
    this.exportName = exportName;
  }
}

/** What happened to the environment's stack in one region. */
@object()
export class RegionDeployment {
  /** AWS region. */
  @func() region: string;
  /** The name of the wave the region belongs to: the configured name, or its number ("1", "2", ...). */
  @func() wave: string;
  /** created, updated, no-change, preview, failed, refused, stopped, rolled-back, rollback-failed or not-started. */
  @func() status: string;
  /** The CloudFormation stack status at the end, or "" when the region was not started. */
  @func() stackStatus: string;
  /** Name of the change set of this run. */
  @func() changeSet: string;
  /** The change-set diff as text. */
  @func() diff: string;
  /** The stack outputs after the deploy. */
  @func() outputs: StackOutput[];
  /** The first resource failure (logical ID, type, status, reason, hook), or "". */
  @func() rootCause: string;
  /** What the explicit rollback did, or "". */
  @func() rollback: string;
  /** One-line account of the region's deploy. */
  @func() message: string;
  /** Milliseconds spent on this region's stack operation. */
  @func() durationMs: number;

  constructor(r: RegionReport) {
    const s = r.stack;
    this.region = r.region;
    this.wave = r.wave;
    this.status = r.status;
    this.stackStatus = s?.stackStatus ?? "";
    this.changeSet = s?.changeSetName ?? "";
    this.diff = s?.diffText ?? "";
    this.outputs = (s?.outputs ?? []).map((o) => new StackOutput(o.key, o.value, o.description ?? "", o.exportName ?? ""));
    this.rootCause = s?.rootCause ? formatRootCause(s.rootCause) : "";
    this.rollback = r.rollback?.message ?? "";
    this.message = s?.message ?? (r.status === "not-started" ? "not started: the rollout stopped before this wave" : "");
    this.durationMs = Math.round(s?.durationMs ?? 0);
  }
}

/** The result of `deploy`: per region the stack status, outputs, change-set diff and duration. */
@object()
export class DeployResult {
  /** Environment name (gamma or prod). */
  @func() environment: string;
  /** CloudFormation stack name. */
  @func() stackName: string;
  /** The image reference deployed, pinned by digest. */
  @func() image: string;
  /** Run ID that names the change sets; pass it again to resume this run. */
  @func() runId: string;
  /** succeeded, no-change, preview, rolled-back or failed. */
  @func() status: string;
  /** One-paragraph summary: what happened and, on failure, why. */
  @func() message: string;
  /** Per-region results, in wave order. */
  @func() regions: RegionDeployment[];
  /** The alarm that stopped the rollout (name, region, phase, reason), or "". */
  @func() alarm: string;
  /** Milliseconds for the whole environment, bakes included. */
  @func() durationMs: number;
  /** The deploy's event stream and progress lines. */
  @func() log: string;

  constructor(d: EnvironmentDeployment, log: string[]) {
    this.environment = d.envName;
    this.stackName = d.stackName;
    this.image = d.image;
    this.runId = d.runId;
    this.status = d.status;
    this.message = d.message;
    this.regions = d.regions.map((r) => new RegionDeployment(r));
    this.alarm = breachText(d);
    this.durationMs = Math.round(d.durationMs);
    this.log = log.join("\n");
  }

  /** The change-set diffs of every region, one after the other. */
  @func()
  diff(): string {
    return this.regions
      .filter((r) => r.diff !== "")
      .map((r) => r.diff)
      .join("\n\n");
  }

  /** A readable summary: status, then one line per region with its root cause or rollback. */
  @func()
  summary(): string {
    return deploymentSummary(this);
  }
}
