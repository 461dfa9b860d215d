import { existsSync, readFileSync } from "node:fs";

/**
 * The CLI's version: the `version` of the nearest package.json at or above two folders up, which is
 * the repository's own from src/cli/ and the published package's (packages/cli/) from its
 * dist/src/cli/ (dist/ holds none). A test keeps the two equal.
 */
export function cliVersion(): string {
  for (let dir = new URL("../../", import.meta.url); ;) {
    const file = new URL("package.json", dir);
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { version?: unknown };
      return typeof pkg.version === "string" ? pkg.version : "unknown";
    }
    const parent = new URL("../", dir);
    if (parent.href === dir.href) return "unknown";
    dir = parent;
  }
}
