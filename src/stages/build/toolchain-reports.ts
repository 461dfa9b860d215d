// What the toolchain actions do around each command, whatever runs it: the argv of a plan's shell
// line, and how the lint and unit-test reports the command left behind are read. The Dagger build
// (toolchain.ts) reads them from the container, the native run of the same plan from the host
// folder; both go through these functions, so the two cannot read a report differently.
import type { FindingSet } from "../../findings/model.js";
import { parseReport } from "../../findings/parse.js";
import type { BuildPlan } from "./preset.js";
import { lastLines } from "../../tools/output.js";
import { collectTestReports, type UnitTestOutcome } from "./tests.js";

/** The argv that runs one of the plan's commands (each is a shell line, run in the workdir). */
export function planCommandArgv(command: string): string[] {
  return ["sh", "-c", command];
}

/** The outcome of a command whose failure is a result: exit code and the end of its output. */
export interface CommandOutcome {
  command: string;
  exitCode: number;
  output: string;
}

/** The application folder after a command ran, seen by paths relative to the workdir. */
export interface WorkdirView {
  /** The folder's path where the command ran (`/src` in the container): ESLint and SARIF paths are made relative to it. */
  root: string;
  exists(relative: string): Promise<boolean>;
  read(relative: string): Promise<string>;
  /** The `.xml` files anywhere under a folder, with their paths relative to that folder, sorted by path. */
  xmlFilesUnder(relative: string): Promise<Array<{ path: string; xml: string }>>;
}

/** Reads the linter's ESLint JSON or SARIF report; no report is a lint that did not complete. */
export async function readLintReport(
  lint: NonNullable<BuildPlan["lint"]>,
  outcome: CommandOutcome,
  view: WorkdirView,
): Promise<{ set?: FindingSet; incomplete?: string; report?: string }> {
  if (!(await view.exists(lint.report))) {
    return { incomplete: `\`${outcome.command}\` exited ${outcome.exitCode} and wrote no report at ${lint.report}: ${lastLines(outcome.output)}` };
  }
  const content = await view.read(lint.report);
  const set = parseReport(content, { file: lint.report, format: lint.format, root: view.root, category: "quality" });
  return { set, report: content };
}

/** Reads the unit tests' JUnit XML reports: files, or folders of them (Surefire's target/surefire-reports). */
export async function readUnitReports(unit: NonNullable<BuildPlan["unit"]>, outcome: CommandOutcome, view: WorkdirView): Promise<UnitTestOutcome> {
  const files: Array<{ path: string; xml: string }> = [];
  const missing: string[] = [];
  for (const report of unit.reports) {
    if (report.endsWith(".xml")) {
      if (await view.exists(report)) files.push({ path: report, xml: await view.read(report) });
      else missing.push(report);
      continue;
    }
    if (!(await view.exists(report))) {
      missing.push(report);
      continue;
    }
    const found = await view.xmlFilesUnder(report);
    if (found.length === 0) missing.push(`${report}/*.xml`);
    for (const f of found) files.push({ path: `${report}/${f.path}`, xml: f.xml });
  }
  return collectTestReports(files, missing, outcome);
}
