// The one report of a DB deploy, wherever the migrations ran: the tool's container against the Beta
// database (src/actions/db-deploy/container.dagger.ts), or the ECS migration task of a Gamma or Prod region
// (src/actions/db-deploy/region.ts). Engine-free.
import type { TaskLogs } from "../../aws/ecs/migration-task.js";
import type { FailureKind } from "./tools.js";

export interface DbDeployReport {
  /** The migration tool dpra.yaml names (`database.tool`; `custom` is the application's own command). */
  tool: string;
  ok: boolean;
  /**
   * `migrated`: the migrations ran and nothing is left pending; `failed`: see `failure`; `deferred`
   * (ECS only): no stack yet, the migration task runs once the software deploy has created it.
   */
  status: "migrated" | "deferred" | "failed";
  /**
   * Pending before the deploy, in the tool's order. Empty where the runner cannot tell: a custom
   * command, and the ECS migration task (its output is in the task's log, see `logs`).
   */
  pendingBefore: string[];
  /** Applied by this deploy (empty where the runner cannot tell, as for `pendingBefore`). */
  applied: string[];
  /** Still pending afterwards (empty on success). */
  pendingAfter: string[];
  failure?: { kind: FailureKind | "status-failed"; message: string };
  /** One line for the release report. */
  summary: string;
  /** The region of the ECS migration task (Gamma, Prod). */
  region?: string;
  /** The ECS migration task that ran, when one ran. */
  taskArn?: string;
  /** Where the migration task's output went, when its task definition logs with awslogs. */
  logs?: TaskLogs;
}

/** A report of the ECS migration task in `region`: the runner says nothing about single migrations. */
export function taskReport(tool: string, region: string, status: "migrated" | "deferred", summary: string, task?: { taskArn: string; logs?: TaskLogs }): DbDeployReport {
  return {
    tool,
    ok: true,
    status,
    pendingBefore: [],
    applied: [],
    pendingAfter: [],
    summary,
    region,
    ...(task ? { taskArn: task.taskArn, ...(task.logs ? { logs: task.logs } : {}) } : {}),
  };
}

/** The report in one line, prefixed with its region when it has one (the Gamma and Prod step detail). */
export function reportLine(report: DbDeployReport): string {
  return report.region ? `${report.region}: ${report.summary}` : report.summary;
}

/** The report as Markdown, for the reports directory. */
export function formatDbDeployReport(report: DbDeployReport): string {
  const list = (items: string[]) => (items.length === 0 ? "- (none)" : items.map((i) => `- ${i}`).join("\n"));
  const lines = [
    `# DB deploy (${report.tool}): ${report.ok ? "succeeded" : "FAILED"}`,
    "",
    report.summary,
    "",
    "## Pending before",
    list(report.pendingBefore),
    "",
    "## Applied",
    list(report.applied),
    "",
    "## Pending after",
    list(report.pendingAfter),
  ];
  if (report.failure) lines.push("", `## Failure: ${report.failure.kind}`, "", "```", report.failure.message, "```");
  return lines.join("\n") + "\n";
}
