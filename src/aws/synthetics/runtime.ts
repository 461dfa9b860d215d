import type { RuntimeVersion, SyntheticsClient } from "@aws-sdk/client-synthetics";
import { loadSyntheticsSdk } from "./sdk.js";

export type RuntimeFamily = "syn-nodejs-playwright" | "syn-nodejs-puppeteer";

/** Lists every runtime version (all pages). */
export async function listRuntimeVersions(client: SyntheticsClient): Promise<RuntimeVersion[]> {
  const { DescribeRuntimeVersionsCommand } = await loadSyntheticsSdk();
  const versions: RuntimeVersion[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new DescribeRuntimeVersionsCommand({ NextToken: nextToken }));
    versions.push(...(page.RuntimeVersions ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return versions;
}

function isDeprecated(v: RuntimeVersion, now: Date): boolean {
  return v.DeprecationDate !== undefined && v.DeprecationDate.getTime() <= now.getTime();
}

/** Compares `syn-nodejs-playwright-2.0` style names by their numeric parts. */
function compareVersionNames(a: string, b: string): number {
  const nums = (s: string) => (s.match(/\d+/g) ?? []).map(Number);
  const [x, y] = [nums(a), nums(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return a.localeCompare(b);
}

/**
 * Picks the runtime version to use: the pinned one when given (refused if unknown or deprecated),
 * else the newest non-deprecated version of the family (highest version number, then latest release date).
 */
export function pickRuntimeVersion(versions: readonly RuntimeVersion[], family: RuntimeFamily, now: Date, pinned?: string): string {
  if (pinned !== undefined) {
    const found = versions.find((v) => v.VersionName === pinned);
    if (!found) {
      throw new Error(`synthetics.runtimeVersion "${pinned}" is not offered in this region (DescribeRuntimeVersions); remove the pin to use the newest ${family} version`);
    }
    if (isDeprecated(found, now)) {
      throw new Error(
        `synthetics.runtimeVersion "${pinned}" was deprecated on ${found.DeprecationDate?.toISOString().slice(0, 10)}; pin a newer version or remove the pin to use the newest ${family} version`,
      );
    }
    return pinned;
  }
  const candidates = versions.filter((v) => v.VersionName !== undefined && v.VersionName.startsWith(`${family}-`) && !isDeprecated(v, now));
  if (candidates.length === 0) {
    throw new Error(`no non-deprecated ${family}-* runtime version is offered (DescribeRuntimeVersions); choose another synthetics.runtime`);
  }
  candidates.sort((a, b) => {
    const byVersion = compareVersionNames(b.VersionName as string, a.VersionName as string);
    return byVersion !== 0 ? byVersion : (b.ReleaseDate?.getTime() ?? 0) - (a.ReleaseDate?.getTime() ?? 0);
  });
  return candidates[0]?.VersionName as string;
}
