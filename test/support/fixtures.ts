import { fileURLToPath } from "node:url";
import path from "node:path";
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export function fixturePath(...parts: string[]): string { return path.resolve(repoRoot, "..", "shared", "fixtures", ...parts); }
