// Verification level 4 (the repository's own files): src/aws/ is the SDK layer under every stage,
// so it names none. What a stage needs from AWS arrives as arguments (an environment's settings,
// its role), and the stage's own rules live in src/stages/ or src/actions/. The dependency rules
// (.dependency-cruiser.mjs) keep its imports below the stages; this keeps the words out too.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/fixtures.js";

function files(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(`${dir}/${e.name}`) : e.name.endsWith(".ts") ? [`${dir}/${e.name}`] : [],
  );
}

describe("src/aws/", () => {
  it("names no stage, in code or comments", () => {
    const all = files("src/aws");
    expect(all.length).toBeGreaterThan(30);
    const named = all.flatMap((f) =>
      readFileSync(path.join(repoRoot, f), "utf8")
        .split("\n")
        .flatMap((line, i) => (/\b(beta|gamma|prod)\b/i.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(named, "pass the environment's name or settings in as an argument; a stage's own rule belongs in src/stages/ or src/actions/").toEqual([]);
  });
});
