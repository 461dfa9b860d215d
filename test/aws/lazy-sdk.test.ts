import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/fixtures.js";

// The Dagger runtime imports every .ts file under src/ on each call, and each AWS SDK client takes
// about 0.3-0.4 s to load. These folders load the SDK only when a function needs it.
const folders = ["src/aws/synthetics", "src/aws/fis", "src/actions/capacity", "src/approval", "src/stages/gamma", "src/stages/prod"];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? tsFiles(full) : full.endsWith(".ts") ? [full] : [];
  });
}

describe("AWS SDK loading", () => {
  it("has no static value import of an AWS SDK package (only `import type` and lazy import())", () => {
    const offenders: string[] = [];
    for (const folder of folders) {
      for (const file of tsFiles(path.join(repoRoot, folder))) {
        const text = readFileSync(file, "utf8");
        for (const m of text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+"(@aws-sdk\/[^"]+)"/gms)) {
          offenders.push(`${path.relative(repoRoot, file)}: ${m[1]}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
