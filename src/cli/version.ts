import { readFileSync } from "node:fs";

/**
 * The CLI's version: the `version` of the package.json two folders up, which is the repository's
 * own from src/cli/ and the published package's (packages/cli/) from its dist/cli/. A test keeps
 * the two equal.
 */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
  return typeof pkg.version === "string" ? pkg.version : "unknown";
}
