// Runs a build plan's toolchain actions on the host instead of in the Dagger container: the same
// commands (planCommandArgv of the plan's shell lines), the same env, and the same report readers
// (toolchain-reports.ts). The only mapping is the container's application path (/src) to the host
// folder. Caches are not mounted: the host's package managers use their own default caches.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { buildPlan, readPackageJson, type BuildPlan } from "../../src/stages/build/preset.js";
import type { UnitTestOutcome } from "../../src/stages/build/tests.js";
import { planCommandArgv, readLintReport, readUnitReports, type CommandOutcome, type WorkdirView } from "../../src/stages/build/toolchain-reports.js";
import { typecheckFindings } from "../../src/stages/build/typecheck.js";
import { listing } from "../../src/cli/source-config.js";
import type { DpraConfig } from "../../src/config/schema.js";
import type { FindingSet } from "../../src/findings/model.js";
import { runProcess } from "../../src/scan/process.js";

/** The plan for an application folder on the host, read as loadBuildPlan reads it from a Directory. */
export function hostBuildPlan(source: string, config: DpraConfig): BuildPlan {
  const app = path.join(source, config.build.workdir ?? ".");
  const entries = listing(app);
  const packageJson = config.build.preset === "node" && entries.includes("package.json") ? readPackageJson(readFileSync(path.join(app, "package.json"), "utf8")) : undefined;
  return buildPlan(config, { listing: entries, packageJson });
}

/** The folder where the plan's commands run: the container's /src. */
export function hostAppDir(source: string, plan: BuildPlan): string {
  return path.join(source, plan.workdir);
}

/**
 * Runs one of the plan's commands in the application folder. The environment is the plan's over
 * PATH and HOME only, as in a container, so nothing of the calling test runner leaks in.
 */
export async function runPlanCommand(source: string, plan: BuildPlan, command: string, env: Record<string, string> = {}): Promise<CommandOutcome & { ms: number }> {
  const [bin, ...args] = planCommandArgv(command) as [string, ...string[]];
  const base = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
  const ran = await runProcess(bin, args, hostAppDir(source, plan), { ...plan.env, ...env }, base);
  return { command, exitCode: ran.exitCode, output: `${ran.stdout}\n${ran.stderr}`.trim(), ms: ran.ms };
}

function hostView(dir: string): WorkdirView {
  const abs = (relative: string): string => path.join(dir, relative);
  return {
    root: dir,
    exists: async (relative) => existsSync(abs(relative)),
    read: async (relative) => readFileSync(abs(relative), "utf8"),
    xmlFilesUnder: async (relative) =>
      readdirSync(abs(relative), { recursive: true, encoding: "utf8" })
        .filter((name) => name.endsWith(".xml"))
        .sort()
        .map((name) => ({ path: name.split(path.sep).join("/"), xml: readFileSync(path.join(abs(relative), name), "utf8") })),
  };
}

export interface NativeActions {
  lint?: { set?: FindingSet; incomplete?: string; report?: string; outcome: CommandOutcome };
  typecheck?: { set: FindingSet; outcome: CommandOutcome };
  unit?: UnitTestOutcome & { outcome: CommandOutcome };
}

/** Lint, type check and unit tests, concurrently as the Dagger build runs them, each read by the build's own readers. */
export async function runToolchainActions(source: string, plan: BuildPlan): Promise<NativeActions> {
  const view = hostView(hostAppDir(source, plan));
  const lint = async (): Promise<NativeActions["lint"]> => {
    if (!plan.lint) return undefined;
    const outcome = await runPlanCommand(source, plan, plan.lint.command);
    return { ...(await readLintReport(plan.lint, outcome, view)), outcome };
  };
  const typecheck = async (): Promise<NativeActions["typecheck"]> => {
    if (!plan.typecheck) return undefined;
    const outcome = await runPlanCommand(source, plan, plan.typecheck);
    return { set: typecheckFindings(outcome.output, outcome.exitCode, outcome.command), outcome };
  };
  const unit = async (): Promise<NativeActions["unit"]> => {
    if (!plan.unit) return undefined;
    const outcome = await runPlanCommand(source, plan, plan.unit.command, plan.unit.env);
    return { ...(await readUnitReports(plan.unit, outcome, view)), outcome };
  };
  const [l, t, u] = await Promise.all([lint(), typecheck(), unit()]);
  return { lint: l, typecheck: t, unit: u };
}
