// Maps the build stage's own action names onto the DPRA build actions of the plan, so that a
// release reports each DPRA action with the verdicts of the tools that implement it. Engine-free.
import type { ActionOutcome } from "../pipeline/execute.js";

/** Which DPRA build action each build-stage action (src/build) implements. */
export const BUILD_ACTION_MAP: Readonly<Record<string, string>> = {
  install: "build.build-code",
  compile: "build.build-code",
  "unit-tests": "build.unit-tests",
  quality: "build.code-quality",
  lint: "build.code-quality",
  typecheck: "build.code-quality",
  iac: "build.code-quality",
  secrets: "build.secrets-detection",
  sast: "build.sast",
  package: "build.package-artifacts",
  sca: "build.sca",
  sbom: "build.sca",
  "image-scan": "build.sca",
  "image-sbom": "build.sca",
};

export interface BuildActionVerdict {
  /** The build stage's action name, e.g. `secrets` or `image-scan`. */
  action: string;
  passed: boolean;
  /** One line: counts, or what blocked. */
  summary: string;
  reports?: string[];
}

/**
 * One outcome per DPRA build action: passed when every build-stage action mapped to it passed, with
 * their summaries joined. Unknown action names are an error, so that nothing is silently dropped.
 */
export function dpraBuildOutcomes(verdicts: readonly BuildActionVerdict[]): Record<string, ActionOutcome> {
  const grouped = new Map<string, BuildActionVerdict[]>();
  for (const v of verdicts) {
    const id = BUILD_ACTION_MAP[v.action];
    if (!id) throw new Error(`build action "${v.action}" maps to no DPRA action; add it to BUILD_ACTION_MAP`);
    grouped.set(id, [...(grouped.get(id) ?? []), v]);
  }
  const out: Record<string, ActionOutcome> = {};
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
