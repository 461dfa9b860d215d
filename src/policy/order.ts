import { SEVERITY_RANK } from "../findings/normalize.js";
import type { Disposition, GatedFinding } from "./gate.js";

const DISPOSITION_RANK: Record<Disposition, number> = { blocking: 0, allowed: 1, baselined: 2, unfixed: 3, belowThreshold: 4, suppressed: 5 };

/** Blocking first, then by severity, tool, rule and location: stable output for diffs and reviews. */
export function sortGated(findings: readonly GatedFinding[]): GatedFinding[] {
  return [...findings].sort(
    (a, b) =>
      DISPOSITION_RANK[a.disposition] - DISPOSITION_RANK[b.disposition] ||
      SEVERITY_RANK[b.finding.severity] - SEVERITY_RANK[a.finding.severity] ||
      a.finding.tool.localeCompare(b.finding.tool) ||
      a.finding.rule.localeCompare(b.finding.rule) ||
      (a.finding.location.path ?? "").localeCompare(b.finding.location.path ?? "") ||
      (a.finding.location.startLine ?? 0) - (b.finding.location.startLine ?? 0),
  );
}

export function locationText(g: GatedFinding): string {
  const l = g.finding.location;
  const where = l.path ? `${l.path}${l.startLine ? `:${l.startLine}` : ""}` : "";
  const pkg = l.package ? `${l.package}${l.version ? `@${l.version}` : ""}` : "";
  return [pkg, where].filter(Boolean).join(" in ") || "(no location)";
}
