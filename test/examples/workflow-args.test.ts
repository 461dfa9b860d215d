import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/fixtures.js";
import { introspect, listModules } from "../support/surface.js";

// The worked example calls `release` with flags (the source on the constructor, the credentials on
// with-aws) and reads fields of its result: all must exist in the module surface (read offline by
// the Dagger SDK's introspector), so the example cannot drift. test/docs/dagger-calls.test.ts walks
// every chain in the docs; this test keeps the example's own three calls pinned.
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

describe("examples/workflows/release.yml against the release function", () => {
  it("uses only flags release accepts and fields ReleaseResult has", async () => {
    const surface = await introspect(listModules().find((m) => m.name === "dpra")!);
    const dpra = surface.objects.find((o) => o.name === "Dpra")!;
    const flags = new Set(
      [...(dpra.constructorArguments ?? []), ...["withAws", "release"].flatMap((fn) => dpra.functions.find((f) => f.name === fn)!.arguments)].map((a) => kebab(a.name)),
    );
    const result = surface.objects.find((o) => o.name === "ReleaseResult")!;
    const fields = new Set([...result.fields.map((f) => kebab(f.name)), ...result.functions.map((f) => kebab(f.name))]);
    const text = readFileSync(path.join(repoRoot, "examples", "workflows", "release.yml"), "utf8");
    // Each call: its first line, then its continuation lines (ending in a backslash); the field is
    // the first word of the last line.
    const lines = text.split("\n");
    const calls: string[][] = [];
    lines.forEach((line, n) => {
      if (!line.includes('-m "$DPRA" call')) return;
      const call = [line];
      for (let k = n; lines[k]!.trimEnd().endsWith("\\"); k++) call.push(lines[k + 1]!);
      calls.push(call);
    });
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      expect(call.join("\n"), "calls release").toMatch(/\srelease\s/);
      const used = call.flatMap((l) => [...l.replace(/\$\([^)]*\)/g, "").matchAll(/(?:^|\s)--([a-z-]+)/g)].map((m) => m[1]!));
      expect(
        used.filter((f) => !flags.has(f)),
        call.join("\n"),
      ).toEqual([]);
      const field = call[call.length - 1]!.trim().split(/[\s)]/)[0]!;
      expect(fields.has(field), `${field} in: ${call.join("\n")}`).toBe(true);
    }
  }, 60_000);
});
