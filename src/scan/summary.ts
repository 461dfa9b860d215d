// `dpra scan`'s Markdown summary: the gate's summary, then which tools ran (version, pin, time),
// which were skipped, version warnings and notes.
import { renderMarkdown } from "../policy/render.js";
import type { ScanResult } from "./run.js";

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function renderScanSummary(scan: ScanResult): string {
  const out = [renderMarkdown(scan.result).trimEnd(), "", "### Tools", "", "| Tool | Version | Pin | Binary |", "|---|---|---|---|"];
  for (const t of scan.tools) out.push(`| ${t.name} | ${t.version ?? "unknown"} | ${t.pinned} | \`${t.bin}\` |`);
  out.push("", "| Action | Tool | Exit code | Wall time | Completed |", "|---|---|---|---|---|");
  for (const r of scan.runs)
    out.push(
      `| ${r.step.action} | ${r.step.tool} | ${r.exitCode} | ${seconds(r.ms)} | ${r.incomplete ? `no: ${r.incomplete.replace(/\|/g, "\\|").replace(/\r?\n/g, " ")}` : "yes"} |`,
    );
  out.push("", `All scans ran concurrently in ${seconds(scan.ms)}.`);
  if (scan.skipped.length > 0) out.push("", `Skipped (--skip): ${scan.skipped.join(", ")}. Their checks did not run.`);
  for (const w of scan.versionWarnings) out.push("", `Warning: ${w}.`);
  for (const n of scan.notes) out.push("", `Note: ${n}.`);
  return `${out.join("\n")}\n`;
}
