// Prints a run plan as text, Mermaid or Graphviz DOT. The diagrams use the DPRA document's own
// colours (#ff9900 required, #d4dada recommended); actions that do not run are drawn dashed with
// the reason in their label.
import type { ActionState, PlannedAction, RunPlan } from "./plan.js";

export type PlanFormat = "text" | "mermaid" | "dot";
export const PLAN_FORMATS: readonly PlanFormat[] = ["text", "mermaid", "dot"];

export const REQUIRED_COLOUR = "#ff9900";
export const RECOMMENDED_COLOUR = "#d4dada";

const STATE_LABEL: Record<ActionState, string> = {
  run: "runs",
  provided: "provided",
  local: "local",
  "not-configured": "not configured",
  "beyond-target": "not in this run",
};

export function renderPlan(plan: RunPlan, format: PlanFormat): string {
  switch (format) {
    case "text":
      return renderText(plan);
    case "mermaid":
      return renderMermaid(plan);
    case "dot":
      return renderDot(plan);
    default:
      throw new Error(`unknown plan format "${String(format)}": expected one of ${PLAN_FORMATS.join(", ")}`);
  }
}

/** Parses a user-given format name, failing with the accepted values. */
export function parsePlanFormat(value: string): PlanFormat {
  const v = value.trim().toLowerCase();
  if (v === "graphviz") return "dot";
  if ((PLAN_FORMATS as readonly string[]).includes(v)) return v as PlanFormat;
  throw new Error(`unknown plan format "${value}": expected text, mermaid or dot (graphviz)`);
}

function renderText(plan: RunPlan): string {
  const lines = [`DPRA application pipeline: release --env ${plan.target}`, ""];
  const all = plan.stages.flatMap((s) => s.actions);
  const nameWidth = Math.max(...all.map((a) => a.name.length));
  const stateWidth = Math.max(...Object.values(STATE_LABEL).map((s) => s.length));
  for (const stage of plan.stages) {
    const idle = !stage.runs && stage.actions.some((a) => a.kind === "run");
    lines.push(`${stage.title}${idle ? " (does not run)" : ""}`);
    for (const a of stage.actions) {
      const mark = a.mark === "required" ? "required   " : "recommended";
      const after = a.dependsOn.length > 0 ? ` (after ${a.dependsOn.map(shortName).join(", ")})` : a.group && a.state === "run" ? " (concurrent: build service)" : "";
      const note = a.markNote ? ` [${a.markNote}]` : "";
      lines.push(`  ${mark}  ${a.name.padEnd(nameWidth)}  ${STATE_LABEL[a.state].padEnd(stateWidth)}  ${a.detail}${after}${note}`);
    }
    lines.push("");
  }
  const runs = all.filter((a) => a.state === "run").length;
  const notConfigured = all.filter((a) => a.state === "not-configured").length;
  lines.push(`${runs} actions run; ${notConfigured} not configured.`);
  return lines.join("\n") + "\n";
}

function shortName(id: string): string {
  return id.slice(id.indexOf(".") + 1);
}

function nodeId(id: string): string {
  return id.replace(/[^A-Za-z0-9]/g, "_");
}

function label(a: PlannedAction): string {
  return a.state === "run" || a.state === "provided" ? a.title : `${a.title} (${STATE_LABEL[a.state]})`;
}

/** Edges: each action after its dependencies; each stage's first actions after the previous running stage's last ones. */
function edges(plan: RunPlan): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let previousSinks: string[] = [];
  for (const stage of plan.stages) {
    const running = stage.actions.filter((a) => a.state === "run");
    if (running.length === 0) continue;
    for (const a of running) for (const d of a.dependsOn) out.push([d, a.id]);
    const sources = running.filter((a) => a.dependsOn.length === 0).map((a) => a.id);
    for (const from of previousSinks) for (const to of sources) out.push([from, to]);
    previousSinks = running.filter((a) => !running.some((b) => b.dependsOn.includes(a.id))).map((a) => a.id);
  }
  return out;
}

function escapeMermaid(text: string): string {
  return text.replace(/&/g, "#amp;").replace(/"/g, "#quot;");
}

function renderMermaid(plan: RunPlan): string {
  const lines = ["flowchart LR"];
  for (const stage of plan.stages) {
    lines.push(`  subgraph ${nodeId(stage.id)}["${escapeMermaid(stage.title)}"]`);
    for (const a of stage.actions) {
      const cls = `${a.mark}${a.state === "run" || a.state === "provided" ? "" : "Off"}`;
      lines.push(`    ${nodeId(a.id)}["${escapeMermaid(label(a))}"]:::${cls}`);
    }
    lines.push("  end");
  }
  for (const [from, to] of edges(plan)) lines.push(`  ${nodeId(from)} --> ${nodeId(to)}`);
  lines.push(
    `  classDef required fill:${REQUIRED_COLOUR},stroke:#333,color:#000`,
    `  classDef recommended fill:${RECOMMENDED_COLOUR},stroke:#333,color:#000`,
    `  classDef requiredOff fill:#fff,stroke:${REQUIRED_COLOUR},stroke-dasharray:5 5,color:#666`,
    `  classDef recommendedOff fill:#fff,stroke:${RECOMMENDED_COLOUR},stroke-dasharray:5 5,color:#666`,
  );
  return lines.join("\n") + "\n";
}

function escapeDot(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

function renderDot(plan: RunPlan): string {
  const lines = [
    "digraph dpra {",
    "  rankdir=LR",
    "  compound=true",
    '  node [shape=box style=filled fontname="Helvetica,Arial,sans-serif" fontcolor="black" width=2]',
    `  subgraph cluster_legend { label="Legend" style=dashed legend_required [label="Required" color="${REQUIRED_COLOUR}"] legend_recommended [label="Recommended" color="${RECOMMENDED_COLOUR}"] legend_off [label="Not configured / not run" color="${RECOMMENDED_COLOUR}" style="dashed" fontcolor="gray40"] }`,
  ];
  for (const stage of plan.stages) {
    lines.push(`  subgraph cluster_${nodeId(stage.id)} {`, `    label="${escapeDot(stage.title)}"`);
    for (const a of stage.actions) {
      const colour = a.mark === "required" ? REQUIRED_COLOUR : RECOMMENDED_COLOUR;
      const on = a.state === "run" || a.state === "provided";
      const style = on ? 'style="filled"' : 'style="dashed" fontcolor="gray40"';
      lines.push(`    ${nodeId(a.id)} [label="${escapeDot(label(a))}" color="${colour}" ${style} tooltip="${escapeDot(a.detail)}"]`);
    }
    lines.push("  }");
  }
  for (const [from, to] of edges(plan)) lines.push(`  ${nodeId(from)} -> ${nodeId(to)}`);
  lines.push("}");
  return lines.join("\n") + "\n";
}
