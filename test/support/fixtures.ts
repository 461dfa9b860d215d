import { fileURLToPath } from "node:url";
import path from "node:path";
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/**
 * A genuine tool report or AWS response kept in test/fixtures (provenance in its SOURCES.md), so a
 * fresh clone tests on its own. `npm run fixtures:update` refreshes them from the shared folder.
 */
export function fixturePath(...parts: string[]): string {
  return path.resolve(repoRoot, "test", "fixtures", ...parts);
}
