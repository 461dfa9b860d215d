// The release report: Markdown for people (and CI step summaries), JSON for machines. Engine-free.
import type { ActionStatus, PlanRun } from "../pipeline/execute.js";

const ICON: Record<ActionStatus, string> = { succeeded: "passed", failed: "FAILED", cancelled: "cancelled", skipped: "skipped" };

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

export function releaseMarkdown(run: PlanRun, imageDigest: string, reference?: string): string {
  const lines = [`# dpra release --env ${run.target}: ${run.verdict.toUpperCase()}`, "", `Image: \`${imageDigest || "unknown"}\``];
  if (reference) lines.push("", `Published as: \`${reference}\``);
  if (run.failure) lines.push("", `**Stopped by:** ${run.failure}`);
  for (const stage of run.stages) {
    if (stage.actions.every((a) => a.status === "skipped") && stage.id !== "beta" && stage.id !== "build") continue;
    lines.push("", `## ${stage.title}: ${ICON[stage.status]} (${seconds(stage.durationMs)})`, "", "| Action | Status | Duration | Details | Reports |", "|---|---|---|---|---|");
    for (const a of stage.actions) {
      const details = a.summary.replace(/\|/g, "\\|").replace(/\n/g, " ");
      lines.push(`| ${a.name} | ${ICON[a.status]} | ${a.status === "skipped" ? "" : seconds(a.durationMs)} | ${details} | ${a.reports.join(", ")} |`);
    }
  }
  return lines.join("\n") + "\n";
}

export function releaseJson(run: PlanRun, imageDigest: string, reference?: string): string {
  return JSON.stringify({ ...run, imageDigest, ...(reference ? { reference } : {}) }, null, 2) + "\n";
}
