// `dpra scan`'s engine: resolves the host tools, runs every scan concurrently, reads the real
// reports with the project's parsers and judges them with the build stage's policy.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { lastLines } from "../tools/output.js";
import { semgrepRuleSelection } from "./scan-settings.js";
import type { DpraConfig } from "../config/schema.js";
import type { FindingSet } from "../findings/model.js";
import { parseReportFile } from "../findings/parse.js";
import { toolFailureSet } from "../findings/tool-failure.js";
import { evaluateGate, type GateResult } from "../policy/gate.js";
import { TOOLS, type ToolPin } from "../tools/catalog.js";
import { findBinary, hostTool, hostToolAt, missingToolMessage, type HostLookup, type HostTool } from "../tools/host.js";
import { runProcess } from "./process.js";
import { scanSteps, type ScanStep, type ScanTool, type StepContext } from "./steps.js";
import { bundledSemgrepRulesDir } from "./bundled-rules.js";
import { findHostTemplates } from "./templates.js";
import { errorMessage } from "../errors.js";

export interface ScanOptions extends HostLookup {
  source: string;
  outputDir: string;
  config: DpraConfig;
  skip: readonly ScanTool[];
  offline: boolean;
  trivyCacheDir: string;
  today: Date;
}

export interface StepRun {
  step: ScanStep;
  exitCode: number;
  ms: number;
  /** Why the scan did not complete, when it did not. */
  incomplete?: string;
}

export interface ScanResult {
  result: GateResult;
  runs: StepRun[];
  tools: HostTool[];
  /** Tools whose version is not the pin. */
  versionWarnings: string[];
  skipped: ScanTool[];
  notes: string[];
  /** Wall time of all scans together, in milliseconds. */
  ms: number;
}

/** The niceness of every scan but the longest (see ScanStep.longest). */
export const SHORTER_SCAN_NICENESS = 10;

/** A tool that is needed and not installed: `dpra scan` exits 2 with these messages. */
export class MissingToolError extends Error {
  override name = "MissingToolError";
}

async function readStep(step: ScanStep, exitCode: number, stderr: string): Promise<{ set?: FindingSet; incomplete?: string }> {
  const why = lastLines(stderr) || "no output";
  const name = path.basename(step.report);
  if (!existsSync(step.report)) {
    if (exitCode === 0 && step.missingMeansEmpty) return { set: { tool: step.tool, format: step.format ?? "", findings: [], toolErrors: [] } };
    return { incomplete: `${step.tool} exited ${exitCode} without writing ${name}: ${why}` };
  }
  const incomplete = step.completed(exitCode) ? undefined : `${step.tool} exited ${exitCode}: ${why}`;
  if (step.format === undefined) return { incomplete };
  try {
    return {
      set: await parseReportFile(step.report, {
        file: name,
        tool: step.tool,
        format: step.format,
        category: step.category,
        ...(step.sastConfig ? { sastConfig: step.sastConfig } : {}),
      }),
      incomplete,
    };
  } catch (err) {
    return { incomplete: `the ${step.tool} report ${name} could not be read: ${errorMessage(err)}` };
  }
}

/** Runs the scans; throws MissingToolError when a needed tool is not installed. */
export async function runScan(opts: ScanOptions): Promise<ScanResult> {
  const rawDir = path.join(opts.outputDir, "raw");
  const bundled = semgrepRuleSelection(opts.config).bundled && !opts.skip.includes("semgrep");
  const ctx: StepContext = { source: opts.source, rawDir, trivyCacheDir: opts.trivyCacheDir, offline: opts.offline, bundledSemgrepRules: bundled ? bundledSemgrepRulesDir() : "" };
  const templates = await findHostTemplates(opts.source, opts.config.quality.iac.paths);
  const planned = scanSteps(opts.config, templates, ctx);
  const steps = planned.steps.filter((s) => !opts.skip.includes(s.tool));
  const needed = [...new Set(steps.map((s) => s.tool))];
  const found = needed.map((name) => [name, findBinary(name, opts)] as const);
  const missing = found.filter(([, bin]) => bin === undefined).map(([name]) => missingToolMessage(name, opts));
  if (missing.length > 0) throw new MissingToolError(missing.join("\n"));
  const bins = new Map(found.map(([name, bin]) => [name, bin!]));
  await mkdir(rawDir, { recursive: true });
  // The versions only feed warnings and the summary: they are read while the scans run, and not at
  // all for a tool whose report states its version (a scan that wrote none is asked afterwards).
  const fromReport = new Set(steps.filter((s) => s.statesVersion).map((s) => s.tool));
  const probing = Promise.all(needed.filter((name) => !fromReport.has(name)).map((name) => hostToolAt(name, bins.get(name)!)));
  const started = performance.now();
  const outcomes = await Promise.all(
    steps.map(async (step) => {
      const niceness = step.longest ? 0 : SHORTER_SCAN_NICENESS;
      const ran = await runProcess(bins.get(step.tool)!, step.args, opts.source, (TOOLS[step.tool] as ToolPin).runEnv ?? {}, process.env, niceness);
      const read = await readStep(step, ran.exitCode, ran.stderr);
      return { run: { step, exitCode: ran.exitCode, ms: ran.ms, incomplete: read.incomplete }, set: read.set };
    }),
  );
  const ms = performance.now() - started;
  const tools = new Map((await probing).map((t) => [t.name, t]));
  for (const name of fromReport) {
    const stated = outcomes.find((o) => o.run.step.tool === name && o.run.step.statesVersion && o.set?.toolVersion)?.set?.toolVersion;
    tools.set(name, stated ? hostTool(name, bins.get(name)!, stated) : await hostToolAt(name, bins.get(name)!));
  }
  const resolved = needed.map((name) => tools.get(name)!);
  const versionWarnings = resolved.filter((t) => t.version !== t.pinned).map((t) => `${t.name} at ${t.bin} is version ${t.version ?? "(unknown)"}, the pin is ${t.pinned}`);
  const sets: FindingSet[] = [];
  for (const o of outcomes) {
    if (o.set) sets.push(o.set);
    if (o.run.incomplete) sets.push(toolFailureSet(o.run.step.tool, o.run.step.category, o.run.incomplete));
  }
  const baselineFile = opts.config.policy.baseline ? path.resolve(opts.source, opts.config.policy.baseline) : undefined;
  const baseline = baselineFile ? (await parseReportFile(baselineFile, { file: opts.config.policy.baseline })).findings : undefined;
  const result = evaluateGate(sets, opts.config.policy, { today: opts.today, baseline });
  return { result, runs: outcomes.map((o) => o.run), tools: resolved, versionWarnings, skipped: [...opts.skip], notes: planned.notes, ms };
}
