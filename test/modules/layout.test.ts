import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/fixtures.js";

// Each tool is a Dagger module of its own, publishable to the Daggerverse, whose recipe the root
// module imports by relative path (so no recipe is written twice).
describe.each(["gitleaks", "semgrep", "trivy"])("modules/%s", (tool) => {
  const dir = path.join(repoRoot, "modules", tool);
  const json = (file: string) => JSON.parse(readFileSync(path.join(dir, file), "utf8"));

  it("is a TypeScript Dagger module named after the tool, on the root's engine version", () => {
    const root = JSON.parse(readFileSync(path.join(repoRoot, "dagger.json"), "utf8"));
    expect(json("dagger.json")).toEqual({ name: tool, engineVersion: root.engineVersion, sdk: { source: "typescript" }, source: "." });
    expect(json("package.json")).toMatchObject({ type: "module" });
    expect(json("package.json").dependencies ?? {}).toEqual({});
    expect(json("tsconfig.json").compilerOptions).toMatchObject({ experimentalDecorators: true, strict: true });
    expect(existsSync(path.join(dir, "src", "index.ts"))).toBe(true);
    expect(existsSync(path.join(dir, "README.md"))).toBe(true);
  });

  it("keeps its recipe in src/<tool>.ts, which the root module imports", () => {
    expect(existsSync(path.join(dir, "src", `${tool}.ts`))).toBe(true);
    const scanners = ["scanners.dagger.ts", "iac.dagger.ts"].map((f) => readFileSync(path.join(repoRoot, "src", "stages", "build", f), "utf8")).join("\n");
    expect(scanners).toContain(`from "../../../modules/${tool}/src/${tool}.js"`);
  });
});
