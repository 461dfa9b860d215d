import { createHash } from "node:crypto";
import type { Severity } from "./model.js";

/** A short, stable identity built from the parts that identify a finding across runs. */
export function fingerprintOf(...parts: (string | number | undefined)[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${part ?? ""}\u0000`);
  return hash.digest("hex").slice(0, 32);
}

/**
 * Paths relative to the scanned root with forward slashes, so that fingerprints do not depend on
 * the machine: `file://` and `./` prefixes go, backslashes become `/`, and `root` is cut off.
 */
export function normalizePath(path: string | undefined, root?: string): string | undefined {
  if (path === undefined || path === "") return undefined;
  let p = path.replace(/\\/g, "/");
  if (p.startsWith("file://")) {
    p = decodeURIComponent(p.slice("file://".length));
    if (/^\/[A-Za-z]:\//.test(p)) p = p.slice(1);
  }
  if (root) {
    const r = root.replace(/\\/g, "/").replace(/\/+$/, "");
    if (p === r) p = ".";
    else if (p.startsWith(`${r}/`)) p = p.slice(r.length + 1);
  }
  while (p.startsWith("./")) p = p.slice(2);
  return p;
}

/** Trivy and most scanners: CRITICAL/HIGH/MEDIUM/LOW; UNKNOWN (not rated yet) is treated as low. */
export function severityFromWord(word: string | undefined, fallback: Severity = "medium"): Severity {
  switch ((word ?? "").trim().toUpperCase()) {
    case "CRITICAL":
      return "critical";
    case "HIGH":
    case "ERROR":
      return "high";
    case "MEDIUM":
    case "MODERATE":
    case "WARNING":
    case "WARN":
      return "medium";
    case "LOW":
    case "UNKNOWN":
    case "NOTE":
      return "low";
    case "INFO":
    case "INFORMATIONAL":
    case "NONE":
    case "NEGLIGIBLE":
      return "info";
    default:
      return fallback;
  }
}

/** GitHub's mapping of the SARIF `security-severity` score (CVSS-like, 0 to 10). */
export function severityFromScore(score: number): Severity {
  if (score >= 9) return "critical";
  if (score >= 7) return "high";
  if (score >= 4) return "medium";
  if (score > 0) return "low";
  return "info";
}

/**
 * Trivy renamed its checks in trivy-checks v2 (trivy v0.69): `DS002` with `AVDID: AVD-DS-0002` became
 * `DS-0002`, and `AVD-AWS-0143` became `AWS-0143`. One form for all versions keeps baselines and
 * allowlists working across upgrades.
 */
export function normalizeTrivyCheckId(id: string): string {
  const bare = id.trim().replace(/^AVD-/i, "");
  const m = /^([A-Za-z]+)-?(\d+)$/.exec(bare);
  if (!m) return bare;
  return `${m[1]!.toUpperCase()}-${m[2]!.padStart(4, "0")}`;
}

/** The first non-empty line of a text, cut to a readable length. */
export function firstLine(text: string | undefined, max = 300): string {
  const line =
    (text ?? "")
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l !== "") ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
