// Runs the build plan in Dagger: the toolchain container (image, caches, source, dependencies), then
// compile, type check, lint and unit tests, each derived from the installed toolchain only.
import { dag, ReturnType, type Container, type Directory } from "@dagger.io/dagger";
import type { DpraConfig } from "../../config/schema.js";
import type { FindingSet } from "../../findings/model.js";
import { buildPlan, readPackageJson, type BuildPlan } from "./preset.js";
import { typecheckFindings } from "./typecheck.js";
import type { UnitTestOutcome } from "./tests.js";
import { lastLines } from "../../tools/output.js";
import { planCommandArgv, readLintReport, readUnitReports, type CommandOutcome, type WorkdirView } from "./toolchain-reports.js";

export const APP_PATH = "/src";

/** The application directory inside the source (`build.workdir`). */
export function appDirectory(source: Directory, config: DpraConfig): Directory {
  const workdir = config.build.workdir;
  return workdir && workdir !== "." ? source.directory(workdir) : source;
}

/** Reads what the planner needs from the application directory and plans the build. */
export async function loadBuildPlan(source: Directory, config: DpraConfig): Promise<BuildPlan> {
  const app = appDirectory(source, config);
  const listing = await app.entries();
  const file = `${config.build.workdir ?? "."}/package.json`.replace(/^\.\//, "");
  const packageJson = config.build.preset === "node" && listing.includes("package.json") ? readPackageJson(await app.file("package.json").contents(), file) : undefined;
  return buildPlan(config, { listing, packageJson });
}

/** The build image with caches and env, and the application copied in. */
export function toolchainBase(source: Directory, config: DpraConfig, plan: BuildPlan): Container {
  let ctr = dag.container().from(plan.image);
  for (const cache of plan.caches) ctr = ctr.withMountedCache(cache.path, dag.cacheVolume(cache.key));
  for (const [name, value] of Object.entries(plan.env)) ctr = ctr.withEnvVariable(name, value);
  return ctr.withDirectory(APP_PATH, appDirectory(source, config)).withWorkdir(APP_PATH);
}

/**
 * The toolchain with dependencies installed, which compile, tests, lint and type check start from.
 * A failed install is reported with its log instead of surfacing as four identical exec errors.
 */
export async function installToolchain(
  source: Directory,
  config: DpraConfig,
  plan: BuildPlan,
): Promise<{ tc: Container; failure?: undefined } | { tc?: undefined; failure: string }> {
  const base = toolchainBase(source, config, plan);
  if (!plan.install) return { tc: base };
  const { ran, outcome } = await runTolerant(base, plan.install);
  if (outcome.exitCode !== 0) {
    return { failure: `install: \`${outcome.command}\` exited ${outcome.exitCode}:\n${lastLines(outcome.output, 15)}` };
  }
  return { tc: ran };
}

async function runTolerant(ctr: Container, command: string, env: Record<string, string> = {}): Promise<{ ran: Container; outcome: CommandOutcome }> {
  let c = ctr;
  for (const [name, value] of Object.entries(env)) c = c.withEnvVariable(name, value);
  const ran = c.withExec(planCommandArgv(command), { expect: ReturnType.Any });
  const exitCode = await ran.exitCode();
  const [stdout, stderr] = await Promise.all([ran.stdout(), ran.stderr()]);
  return { ran, outcome: { command, exitCode, output: `${stdout}\n${stderr}`.trim() } };
}

/** Compiles (the preset's build command). A failure is an outcome with the log tail, not a crash. */
export async function compile(tc: Container, plan: BuildPlan): Promise<CommandOutcome | undefined> {
  if (!plan.build) return undefined;
  return (await runTolerant(tc, plan.build)).outcome;
}

/** Runs the type check and normalises its diagnostics to findings. */
export async function typecheck(tc: Container, plan: BuildPlan): Promise<FindingSet | undefined> {
  if (!plan.typecheck) return undefined;
  const { outcome } = await runTolerant(tc, plan.typecheck);
  return typecheckFindings(outcome.output, outcome.exitCode, outcome.command);
}

/** The application folder in a container after a command ran. */
function containerView(ran: Container): WorkdirView {
  const abs = (relative: string): string => `${APP_PATH}/${relative}`;
  return {
    root: APP_PATH,
    exists: (relative) => ran.exists(abs(relative)),
    read: (relative) => ran.file(abs(relative)).contents(),
    xmlFilesUnder: async (relative) => {
      const dir = ran.directory(abs(relative));
      const names = (await dir.glob("**/*.xml")).sort();
      const files: Array<{ path: string; xml: string }> = [];
      for (const name of names) files.push({ path: name, xml: await dir.file(name).contents() });
      return files;
    },
  };
}

/** Runs the project's linter and parses its ESLint JSON or SARIF report. */
export async function lint(tc: Container, plan: BuildPlan): Promise<{ set?: FindingSet; incomplete?: string; report?: string }> {
  if (!plan.lint) return {};
  const { ran, outcome } = await runTolerant(tc, plan.lint.command);
  return readLintReport(plan.lint, outcome, containerView(ran));
}

/** Runs the unit tests and reads their JUnit XML reports. */
export async function unitTests(tc: Container, plan: BuildPlan): Promise<UnitTestOutcome | undefined> {
  if (!plan.unit) return undefined;
  const { ran, outcome } = await runTolerant(tc, plan.unit.command, plan.unit.env);
  return readUnitReports(plan.unit, outcome, containerView(ran));
}
