// Maps the build stage's steps onto the DPRA build actions of the plan, so that a release reports
// each DPRA action with the verdicts of the tools that implement it. Engine-free.
import { BUILD_ACTION_MAP, isBuildStep, type BuildStep } from "../../pipeline/build-steps.js";
import type { ActionOutcome } from "../../pipeline/execute.js";
import type { ActionIdOf } from "../../pipeline/model.js";

export interface BuildActionVerdict {
  /** The build stage's step, e.g. `secrets` or `image-scan`. */
  action: BuildStep;
  passed: boolean;
  /** One line: counts, or what blocked. */
  summary: string;
  reports?: string[];
}

/**
 * One outcome per DPRA build action: passed when every build-stage step mapped to it passed, with
 * their summaries joined. A step name outside BUILD_ACTION_MAP (one that got past the types) is an
 * error, so that nothing is silently dropped.
 */
export function dpraBuildOutcomes(verdicts: readonly BuildActionVerdict[]): Partial<Record<ActionIdOf<"build">, ActionOutcome>> {
  const grouped = new Map<ActionIdOf<"build">, BuildActionVerdict[]>();
  for (const v of verdicts) {
    if (!isBuildStep(v.action)) throw new Error(`build action "${String(v.action)}" maps to no DPRA action; add it to BUILD_ACTION_MAP`);
    const id = BUILD_ACTION_MAP[v.action];
    grouped.set(id, [...(grouped.get(id) ?? []), v]);
  }
  const out: Partial<Record<ActionIdOf<"build">, ActionOutcome>> = {};
  for (const [id, list] of grouped) {
    const failed = list.filter((v) => !v.passed);
    const shown = failed.length > 0 ? failed : list;
    out[id] = {
      ok: failed.length === 0,
      summary: shown.map((v) => (list.length > 1 ? `${v.action}: ${v.summary}` : v.summary)).join("; "),
      reports: list.flatMap((v) => v.reports ?? []),
    };
  }
  return out;
}
