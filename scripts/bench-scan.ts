// Benchmark of the build stage's scanners on the bundled example, with the real pinned tools: each
// scan `dpra scan` plans (the recipes' own argv, from scanSteps) run alone, one after the other, then
// all of them as `dpra scan` runs them (runScan: concurrently). The acceptance of issue 11 wants the
// concurrent run to take at most 1.3x the slowest single tool.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { semgrepRuleSelection } from "../src/scan/scan-settings.js";
import { loadHostConfig } from "../src/cli/source-config.js";
import { bundledSemgrepRulesDir } from "../src/scan/bundled-rules.js";
import { runProcess } from "../src/scan/process.js";
import { runScan } from "../src/scan/run.js";
import { scanSteps, type ScanStep } from "../src/scan/steps.js";
import { findHostTemplates } from "../src/scan/templates.js";
import { resolveHostTool, type HostTool } from "../src/tools/host.js";

export const SCAN_TARGET_RATIO = 1.3;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * CPU time (user + system, ms) of this process's finished children, from Linux's /proc/self/stat
 * (cutime, cstime); undefined elsewhere. It tells whether the scans are bound by the CPUs.
 */
function childrenCpuMs(): number | undefined {
  if (!existsSync("/proc/self/stat")) return undefined;
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
  // After the command name: field 3 (state) is index 0, so cutime (16) and cstime (17) are 13 and 14.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / ticks;
}

function cpuSince(before: number | undefined): number | undefined {
  const now = childrenCpuMs();
  return before === undefined || now === undefined ? undefined : now - before;
}

const sec = (ms: number): string => (ms / 1000).toFixed(2).padStart(7);

/** A step's label in the table: the tool, and the action when a tool runs more than one scan. */
function label(step: ScanStep, steps: readonly ScanStep[]): string {
  return steps.filter((s) => s.tool === step.tool).length > 1 ? `${step.tool} ${step.action}` : step.tool;
}

/**
 * Runs the benchmark on `source` (`runs` times each, median quoted) and prints the table.
 * Returns whether dpra scan's wall time is within SCAN_TARGET_RATIO of the slowest single scan.
 */
export async function benchScan(source: string, toolsDir: string, runs: number): Promise<boolean> {
  const config = await loadHostConfig(source, { cwd: source });
  const work = mkdtempSync(path.join(os.tmpdir(), "dpra-bench-scan-"));
  try {
    const trivyCacheDir = path.join(os.homedir(), ".cache", "trivy");
    const rawDir = path.join(work, "alone");
    const bundled = semgrepRuleSelection(config).bundled;
    // --offline, as everywhere here: trivy cannot download its vulnerability database.
    const ctx = { source, rawDir, trivyCacheDir, offline: true, bundledSemgrepRules: bundled ? bundledSemgrepRulesDir() : "" };
    const { steps } = scanSteps(config, await findHostTemplates(source, config.quality.iac.paths), ctx);
    const tools = new Map<string, HostTool>();
    for (const step of steps) {
      const tool = tools.get(step.tool) ?? (await resolveHostTool(step.tool, { toolsDir }));
      if (!tool) throw new Error(`bench: ${step.tool} is not installed in ${toolsDir}/bin or on PATH (npm run tools:install)`);
      tools.set(step.tool, tool);
    }
    console.log(
      `\nbuild-stage scans on ${path.relative(process.cwd(), source) || "."}: ${[...tools.values()].map((t) => `${t.name} ${t.version}`).join(", ")}; ${runs} runs each, medians`,
    );

    const alone = new Map<ScanStep, Array<{ wall: number; cpu?: number }>>(steps.map((s) => [s, []]));
    const together: Array<{ wall: number; scans: number; cpu?: number }> = [];
    for (let i = 0; i < runs; i++) {
      rmSync(rawDir, { recursive: true, force: true });
      mkdirSync(rawDir, { recursive: true });
      for (const step of steps) {
        const tool = tools.get(step.tool)!;
        const cpuBefore = childrenCpuMs();
        const ran = await runProcess(tool.bin, step.args, source, tool.env);
        if (!step.completed(ran.exitCode)) throw new Error(`bench: ${label(step, steps)} exited ${ran.exitCode}: ${ran.stderr.slice(-500)}`);
        alone.get(step)!.push({ wall: ran.ms, cpu: cpuSince(cpuBefore) });
      }
      const cpuBefore = childrenCpuMs();
      const started = performance.now();
      const scan = await runScan({ source, outputDir: path.join(work, `scan-${i}`), config, skip: [], offline: true, trivyCacheDir, toolsDir, today: new Date() });
      together.push({ wall: performance.now() - started, scans: scan.ms, cpu: cpuSince(cpuBefore) });
      const incomplete = scan.runs.filter((r) => r.incomplete).map((r) => `${r.step.action}: ${r.incomplete}`);
      if (incomplete.length > 0) throw new Error(`bench: dpra scan did not complete: ${incomplete.join("; ")}`);
    }

    const medianOf = (xs: Array<number | undefined>): number | undefined => (xs.every((x) => x !== undefined) ? median(xs as number[]) : undefined);
    const rows = steps.map((s) => ({ name: label(s, steps), ms: median(alone.get(s)!.map((r) => r.wall)), cpu: medianOf(alone.get(s)!.map((r) => r.cpu)) }));
    const total = (list: typeof rows) => ({
      ms: list.reduce((a, r) => a + r.ms, 0),
      cpu: list.every((r) => r.cpu !== undefined) ? list.reduce((a, r) => a + r.cpu!, 0) : undefined,
    });
    const perTool = [...tools.keys()].map((name) => ({ name, ...total(rows.filter((r) => r.name.split(" ")[0] === name)) }));
    const sum = total(rows);
    const slowest = rows.reduce((a, r) => (r.ms > a.ms ? r : a));
    const slowestTool = perTool.reduce((a, r) => (r.ms > a.ms ? r : a));
    const wall = median(together.map((t) => t.wall));
    const scans = median(together.map((t) => t.scans));
    const concurrentCpu = medianOf(together.map((t) => t.cpu));
    const ratio = wall / slowest.ms;
    const cpus = os.cpus().length;
    const cpuCell = (ms: number | undefined): string => (ms === undefined ? "    n/a" : sec(ms));
    console.log(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}, ${cpus} CPUs`,
    );
    console.log("scan                      wall (s)   CPU (s)");
    for (const r of rows) console.log(`${r.name.padEnd(24)}  ${sec(r.ms)}   ${cpuCell(r.cpu)}`);
    for (const t of perTool.filter((t) => rows.filter((r) => r.name.startsWith(`${t.name} `)).length > 1)) {
      console.log(`${`${t.name} (all its scans)`.padEnd(24)}  ${sec(t.ms)}   ${cpuCell(t.cpu)}`);
    }
    console.log(`${"sum, one after another".padEnd(24)}  ${sec(sum.ms)}   ${cpuCell(sum.cpu)}`);
    console.log(
      `${"dpra scan, concurrent".padEnd(24)}  ${sec(wall)}   ${cpuCell(concurrentCpu)}   (the scans alone ${sec(scans).trim()} s; the rest is tool lookup, parsing and policy)`,
    );
    console.log(
      `ratios: dpra scan / slowest scan (${slowest.name}) ${ratio.toFixed(2)}x, target <= ${SCAN_TARGET_RATIO}x: ${ratio <= SCAN_TARGET_RATIO ? "met" : "MISSED"}; ` +
        `/ slowest tool (${slowestTool.name}, all its scans) ${(wall / slowestTool.ms).toFixed(2)}x; / sum ${(wall / sum.ms).toFixed(2)}x`,
    );
    if (sum.cpu !== undefined && slowest.cpu !== undefined) {
      // However well they overlap, the scans cannot finish before their CPU time is spread over the
      // CPUs. In CPU time (which other work on the machine does not inflate, unlike wall time):
      const floor = sum.cpu / cpus;
      console.log(
        `CPU bound: the scans need ${sec(sum.cpu).trim()} s of CPU, at least ${sec(floor).trim()} s on ${cpus} CPUs, ` +
          `${(floor / slowest.cpu).toFixed(2)}x the slowest scan's own ${sec(slowest.cpu).trim()} s of CPU: the lowest ratio any schedule reaches here`,
      );
    }
    return ratio <= SCAN_TARGET_RATIO;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
