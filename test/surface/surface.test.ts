import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { introspect, listModules, missingDescriptions, snapshotPath } from "../support/surface.js";

// The module surface, read by the Dagger TypeScript SDK's own introspector with no engine, is the
// public API of every module: `dagger call --help` shows these descriptions.
describe.each(listModules())("module $name surface", (module) => {
  it("introspects, documents every object, function and argument, and matches the committed snapshot", async () => {
    const surface = await introspect(module);
    expect(missingDescriptions(surface), "every function and argument needs TSDoc").toEqual([]);
    const file = snapshotPath(module);
    expect(existsSync(file), `${file} is missing: run npm run surface:update and commit it`).toBe(true);
    const committed = JSON.parse(readFileSync(file, "utf8"));
    expect(surface, `surface of ${module.name} changed: run npm run surface:update and review the diff`).toEqual(committed);
  }, 60_000);
});

// The root module takes the application source once, in its constructor (`dagger call --source=. build`),
// with the bundled example as the default; no function repeats it.
describe("the root module's source", () => {
  it("is the constructor's one argument, defaulting to the bundled example without node_modules; no function takes a source", async () => {
    const surface = await introspect(listModules().find((m) => m.name === "dpra")!);
    const dpra = surface.objects.find((o) => o.name === "Dpra")!;
    expect(dpra.constructorArguments).toEqual([expect.objectContaining({ name: "source", type: "Directory", defaultPath: "/examples/fruit-api", ignore: ["**/node_modules"] })]);
    expect(dpra.functions.filter((f) => f.arguments.some((a) => a.name === "source")).map((f) => f.name)).toEqual([]);
  }, 60_000);
});
