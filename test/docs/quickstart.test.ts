// Level 5 (module surface, read by the Dagger SDK's introspector) and level 4 (the CLI in-process):
// docs/quickstart.md's commands exist as written, and every Action in the workflows and docs is
// pinned by commit SHA with its tag in a comment.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseConfig } from "../../src/config/load.js";
import { COMMANDS, main } from "../../src/cli/main.js";
import { repoRoot } from "../support/fixtures.js";
import { introspect, listModules, type SurfaceObject } from "../support/surface.js";

const read = (...p: string[]) => readFileSync(path.join(repoRoot, ...p), "utf8");
const quickstart = read("docs", "quickstart.md");
const cliVersion = (JSON.parse(read("packages", "cli", "package.json")) as { version: string }).version;
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function blocks(markdown: string, lang: string): string[] {
  return [...markdown.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);
}

async function help(command: string): Promise<string> {
  let out = "";
  await main([command, "--help"], { stdout: (t) => void (out += t), stderr: () => {} });
  return out;
}

describe("docs/quickstart.md", () => {
  it("is linked first from the README", () => {
    const readme = read("README.md");
    const firstLink = /\]\(([^)]+)\)/.exec(readme)?.[1];
    expect(firstLink).toBe("docs/quickstart.md");
  });

  it("gives a dpra.yaml that validates", () => {
    const [yaml] = blocks(quickstart, "yaml");
    expect(() => parseConfig(yaml!, "quickstart dpra.yaml")).not.toThrow();
    expect(yaml!.trim().split("\n").length).toBeLessThanOrEqual(8);
  });

  it("uses only dpra CLI commands and flags that `--help` lists, at the package's version", async () => {
    const lines = quickstart.split("\n").flatMap((l) => [...l.matchAll(/npx (@dpra\/cli@[^\s]+) ([a-z-]+)([^`\n]*)/g)]);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const names = new Set(COMMANDS.map((c) => c.name));
    const used = new Set<string>();
    for (const [, spec, command, rest] of lines) {
      expect(spec).toBe(`@dpra/cli@${cliVersion}`);
      used.add(command!);
      // `scan` is added by the host-scanner work (src/cli/commands/scan.ts); once that file exists,
      // it must be a command and its flags are checked like the others.
      if (command === "scan" && !existsSync(path.join(repoRoot, "src", "cli", "commands", "scan.ts"))) continue;
      expect(names.has(command!), `dpra ${command}`).toBe(true);
      const text = await help(command!);
      for (const flag of rest!.match(/--[a-z-]+/g) ?? []) expect(text, `dpra ${command} ${flag}`).toContain(flag);
    }
    expect([...used].sort()).toEqual(["gate", "plan", "scan"]);
  });

  it("calls only Dagger functions, flags and fields the module surface has", async () => {
    const surface = await introspect(listModules().find((m) => m.name === "dpra")!);
    const byName = new Map<string, SurfaceObject>(surface.objects.map((o) => [o.name, o]));
    const workflow = parse(blocks(quickstart, "yaml")[1]!) as { jobs: Record<string, { steps: { uses?: string; with?: Record<string, string> }[] }> };
    const calls = [
      ...blocks(quickstart, "sh").flatMap((b) => b.split("\n").flatMap((l) => /^dagger -m \S+ call (.*)$/.exec(l)?.[1] ?? [])),
      ...Object.values(workflow.jobs).flatMap((j) => j.steps.flatMap((s) => (s.uses?.startsWith("dagger/dagger-for-github@") ? [s.with!.call!] : []))),
    ];
    expect(calls.length).toBe(3);
    for (const call of calls) {
      // A chain: function and its flags, then a field or function of what it returns, and so on.
      let object = byName.get("Dpra")!;
      const words = call.split(/\s+/);
      // Flags before the first function are the constructor's (`--source=.`).
      const constructorFlags = new Set((object.constructorArguments ?? []).map((a) => kebab(a.name)));
      let i = 0;
      for (; i < words.length && words[i]!.startsWith("--"); i++) expect(constructorFlags.has(words[i]!.replace(/^--/, "").split("=")[0]!), `${words[i]} in: ${call}`).toBe(true);
      while (i < words.length) {
        const name = words[i++]!;
        if (object.name === "Directory") {
          expect(name, call).toBe("export"); // Dagger's core Directory.export(path)
          expect(words.slice(i)).toEqual(["--path=reports"]);
          break;
        }
        const fn = object.functions.find((f) => kebab(f.name) === name);
        const field = object.fields.find((f) => kebab(f.name) === name);
        expect(fn ?? field, `${name} on ${object.name} in: ${call}`).toBeDefined();
        const flags = new Set((fn?.arguments ?? []).map((a) => kebab(a.name)));
        for (; i < words.length && words[i]!.startsWith("--"); i++) expect(flags.has(words[i]!.replace(/^--/, "").split("=")[0]!), `${words[i]} in: ${call}`).toBe(true);
        const returns = (fn?.returns ?? field!.type).replace(/!$/, "");
        object = byName.get(returns) ?? ({ name: returns, description: "", fields: [], functions: [] } as SurfaceObject);
      }
    }
  }, 60_000);
});

describe("GitHub Actions pins", () => {
  const files = [
    ...readdirSync(path.join(repoRoot, ".github", "workflows")).map((f) => path.join(".github", "workflows", f)),
    ...readdirSync(path.join(repoRoot, "examples", "workflows")).map((f) => path.join("examples", "workflows", f)),
    "README.md",
    ...readdirSync(path.join(repoRoot, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => path.join("docs", f)),
  ];

  it("pins every Action by full commit SHA with the release tag in a comment, the same SHA everywhere", () => {
    const shaOf = new Map<string, string>();
    let count = 0;
    for (const file of files) {
      for (const [line] of read(file).matchAll(/uses: *\S+.*$/gm)) {
        count++;
        const m = /uses: ([\w.-]+\/[\w./-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(line);
        expect(m, `${file}: ${line}`).not.toBeNull();
        const key = `${m![1]}@${m![3]}`;
        expect(shaOf.get(key) ?? m![2], `${file}: ${line}`).toBe(m![2]);
        shaOf.set(key, m![2]!);
      }
    }
    expect(count).toBeGreaterThan(10);
    expect(files.some((f) => read(f).includes("install.sh | "))).toBe(false);
  });

  it("keeps the README's copy of the release workflow identical to examples/workflows/release.yml", () => {
    const example = read("examples", "workflows", "release.yml");
    expect(blocks(read("README.md"), "yaml")).toContain(example);
  });
});
