// What a build action produced, and how a scanner's run is read: the exit codes that mean "the
// scan completed", the report parsed into findings, and a tool-failure finding set otherwise.
import type { Container, File } from "@dagger.io/dagger";
import type { Category, FindingSet, ToolName } from "../../findings/model.js";
import { parseReport } from "../../findings/parse.js";
import { toolFailureSet } from "../../findings/tool-failure.js";
import { lastLines } from "../../tools/output.js";
import { errorMessage } from "../../errors.js";
import type { BuildStep } from "../../pipeline/build-steps.js";

/**
 * What one build-stage action produced: finding sets, what did not complete, and raw reports to keep.
 * A release judges each against the policy and hands the executor a generic ActionOutcome
 * (src/stages/build/provider.dagger.ts, src/pipeline/execute.ts).
 */
export interface BuildActionOutcome {
  action: BuildStep;
  sets: FindingSet[];
  /** A build step broke (install, compile, package, SBOM, an engine error): the stage fails, whatever the policy says. */
  failures: string[];
  /**
   * A scanner did not complete its scan. Each one also has a tool-failure finding set in `sets`, a
   * critical finding in the tool's category, so the policy blocks on it (and an allowlist entry with
   * a reason and an expiry can accept it, like any finding).
   */
  incomplete: string[];
  /** Raw reports, kept under `raw/` in the reports directory. */
  files: Array<{ name: string; file: File }>;
}

export function emptyOutcome(action: BuildStep): BuildActionOutcome {
  return { action, sets: [], failures: [], incomplete: [], files: [] };
}

/** Records a scan that did not complete: a message for the summary and a blocking tool-failure finding set. */
export function scanIncomplete(outcome: BuildActionOutcome, tool: ToolName, category: Category, detail: string): void {
  outcome.incomplete.push(`${outcome.action}: ${detail}`);
  outcome.sets.push(toolFailureSet(tool, category, detail));
}

interface ReadSpec {
  action: BuildStep;
  tool: ToolName;
  /** Report format for the parser (`gitleaks-json`, `semgrep-json`, `trivy-json`, `sarif`, ...). */
  format: string;
  path: string;
  /** File name under `raw/`. */
  name: string;
  /** The category of the tool's findings here; a scan that did not complete blocks in it. */
  category: Category;
  /** Whether an exit code means "the scan completed"; otherwise it is a failure even with a report. Default: any, given a report. */
  completed?: (exitCode: number) => boolean;
  /** A missing report with exit code 0 means "nothing found" (older gitleaks writes none then). */
  missingMeansEmpty?: boolean;
  /** The rules a SAST scan was given, named in the finding of a run that executed none. */
  sastConfig?: string;
}

/** Reads a scan's report from the container it ran in and parses it. */
export async function readScan(ran: Container, spec: ReadSpec): Promise<BuildActionOutcome> {
  const outcome = emptyOutcome(spec.action);
  const exitCode = await ran.exitCode();
  const hasReport = await ran.exists(spec.path);
  const why = async () => lastLines(await ran.stderr()) || "no output";
  if (!hasReport) {
    if (exitCode === 0 && spec.missingMeansEmpty) {
      outcome.sets.push({ tool: spec.tool, format: spec.format, findings: [], toolErrors: [] });
    } else {
      scanIncomplete(outcome, spec.tool, spec.category, `${spec.tool} exited ${exitCode} without writing ${spec.path}: ${await why()}`);
    }
    return outcome;
  }
  if (spec.completed && !spec.completed(exitCode)) {
    scanIncomplete(outcome, spec.tool, spec.category, `${spec.tool} exited ${exitCode}: ${await why()}`);
  }
  const file = ran.file(spec.path);
  outcome.files.push({ name: spec.name, file });
  try {
    outcome.sets.push(
      parseReport(await file.contents(), {
        file: spec.name,
        tool: spec.tool,
        format: spec.format,
        category: spec.category,
        ...(spec.sastConfig ? { sastConfig: spec.sastConfig } : {}),
      }),
    );
  } catch (err) {
    scanIncomplete(outcome, spec.tool, spec.category, `the ${spec.tool} report could not be read: ${errorMessage(err)}`);
  }
  return outcome;
}

export { scanCompleted } from "../../scan/scan-completed.js";

export function mergeOutcomes(action: BuildStep, outcomes: BuildActionOutcome[]): BuildActionOutcome {
  return {
    action,
    sets: outcomes.flatMap((o) => o.sets),
    failures: outcomes.flatMap((o) => o.failures),
    incomplete: outcomes.flatMap((o) => o.incomplete),
    files: outcomes.flatMap((o) => o.files),
  };
}
