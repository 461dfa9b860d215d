/** Trivy lists several fixed versions, one per release line: `"3.1.0, 2.6.9"`. */
export function splitFixedVersions(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

function numericParts(version: string): number[] | undefined {
  const m = /^v?(\d+(?:\.\d+)*)/.exec(version.replace(/^\d+:/, ""));
  return m ? m[1]!.split(".").map(Number) : undefined;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The fix to recommend: the lowest listed version above the installed one (the nearest upgrade on
 * the installed release line). Falls back to the first listed version when versions do not compare.
 */
export function pickFixedVersion(installed: string | undefined, versions: string[]): string | undefined {
  if (versions.length <= 1 || installed === undefined) return versions[0];
  const current = numericParts(installed);
  if (!current) return versions[0];
  const above = versions
    .map((v) => ({ v, parts: numericParts(v) }))
    .filter((x): x is { v: string; parts: number[] } => x.parts !== undefined && compare(x.parts, current) > 0)
    .sort((a, b) => compare(a.parts, b.parts));
  return above[0]?.v ?? versions[0];
}
