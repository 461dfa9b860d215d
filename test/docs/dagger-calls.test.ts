// Level 5 (module surface, read offline by the Dagger SDK's introspector): every `dagger call` in
// README.md, docs/, examples/ and the repository's workflows names only constructor flags,
// functions, flags and fields the module has, along the whole chain
// (`dagger call --source=. with-aws --aws-... release --env=gamma summary`).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { repoRoot } from "../support/fixtures.js";
import { introspect, listModules, type Surface, type SurfaceArgument, type SurfaceObject } from "../support/surface.js";
import { daggerCalls, dispatcherCalls, splitWords, type DaggerCall } from "./dagger-call-text.js";

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The core Dagger API functions the docs chain onto module results, with their flags. */
const CORE: Record<string, Record<string, { flags: string[]; returns: string }>> = {
  Directory: { export: { flags: ["path"], returns: "String" }, entries: { flags: [], returns: "[String]" } },
  File: { export: { flags: ["path"], returns: "String" }, contents: { flags: [], returns: "String" } },
  Container: { publish: { flags: ["address"], returns: "String" }, export: { flags: ["path"], returns: "String" } },
};

function filesUnder(dir: string, ext: RegExp): string[] {
  return readdirSync(path.join(repoRoot, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (name === "node_modules") return [];
    if (statSync(path.join(repoRoot, rel)).isDirectory()) return filesUnder(rel, ext);
    return ext.test(name) ? [rel] : [];
  });
}

const DOC_FILES = ["README.md", ...filesUnder("docs", /\.md$/), ...filesUnder("examples", /\.(md|ya?ml|sh)$/), ...filesUnder(path.join(".github", "workflows"), /\.ya?ml$/)];

/** The dagger-for-github steps of a YAML text (a workflow, or a markdown file's yaml blocks). */
function yamlSteps(text: string, file: string): Array<{ module?: string; call?: string }> {
  const sources = file.endsWith(".md") ? [...text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1]!) : [text];
  return sources.flatMap((source) =>
    parseAllDocuments(source).flatMap((doc) => {
      const jobs = (doc.toJS() as { jobs?: Record<string, { steps?: Array<{ uses?: string; with?: Record<string, string> }> }> } | null)?.jobs ?? {};
      return Object.values(jobs).flatMap((job) =>
        (job.steps ?? []).filter((s) => s.uses?.startsWith("dagger/dagger-for-github@") && s.with?.call).map((s) => ({ module: s.with!.module, call: s.with!.call })),
      );
    }),
  );
}

interface Checked {
  problems: string[];
  /** Function and field names walked, e.g. ["with-aws", "release", "summary"]. */
  chain: string[];
}

/** Walks one call through the surface: constructor flags, then each function or field and its flags. */
function checkCall(surface: Surface, mainObject: string, words: string[]): Checked {
  const byName = new Map<string, SurfaceObject>(surface.objects.map((o) => [o.name, o]));
  const problems: string[] = [];
  const chain: string[] = [];
  let i = 0;
  // Flags before the first function are the constructor's; then each function's flags follow it.
  const takeFlags = (args: SurfaceArgument[] | string[], where: string) => {
    for (; i < words.length && (words[i]!.startsWith("--") || words[i] === "..."); i++) {
      if (words[i] === "...") continue; // an elided part of the command, in prose
      const [flag, value] = [words[i]!.slice(2).split("=")[0]!, words[i]!.includes("=")];
      const arg = args.find((a) => (typeof a === "string" ? a : kebab(a.name)) === flag);
      if (!arg) problems.push(`--${flag} is not a flag of ${where}`);
      // `--flag value`: a non-boolean flag takes the next word as its value.
      else if (!value && (typeof arg === "string" || arg.type !== "Boolean") && i + 1 < words.length) i++;
    }
  };
  let object = byName.get(mainObject);
  if (!object) return { problems: [`no object ${mainObject}`], chain };
  takeFlags(object.constructorArguments ?? [], `the ${mainObject} constructor`);
  let type: string = mainObject;
  while (i < words.length) {
    const name = words[i++]!;
    chain.push(name);
    const core = CORE[type];
    if (core) {
      const fn = core[name];
      if (!fn) {
        problems.push(`${name} is not a function of ${type} known to this test`);
        break;
      }
      takeFlags(fn.flags, `${type}.${name}`);
      type = fn.returns;
      continue;
    }
    object = byName.get(type);
    if (!object) {
      problems.push(`${name} after ${chain.slice(0, -1).join(" ") || "the call"}, which returns ${type}`);
      break;
    }
    const fn = object.functions.find((f) => kebab(f.name) === name);
    const field = object.fields.find((f) => kebab(f.name) === name);
    if (!fn && !field) {
      problems.push(`${name} is neither a function nor a field of ${object.name}`);
      break;
    }
    if (fn) takeFlags(fn.arguments, `${object.name}.${name}`);
    type = (fn?.returns ?? field!.type).replace(/!$/, "");
  }
  return { problems, chain };
}

describe("every dagger call in the README, docs/, examples/ and the workflows", () => {
  const surfaces = new Map<string, Surface>();
  beforeAll(async () => {
    for (const module of listModules().filter((m) => m.name === "dpra" || m.name === "dpra-ci")) surfaces.set(module.name, await introspect(module));
  }, 120_000);
  // `-m dagger` (this repository's CI module) is dpra-ci; any other module address is dpra itself.
  const moduleOf = (m: string | undefined) =>
    m === "dagger" || m === "./dagger" ? { surface: surfaces.get("dpra-ci")!, main: "DpraCi" } : { surface: surfaces.get("dpra")!, main: "Dpra" };

  const calls: Array<DaggerCall & { file: string }> = DOC_FILES.flatMap((file) => {
    const text = readFileSync(path.join(repoRoot, file), "utf8");
    const steps = /\.(ya?ml|md)$/.test(file) ? yamlSteps(text, file) : [];
    return [...daggerCalls(text), ...dispatcherCalls(steps)].map((c) => ({ ...c, file }));
  });

  it("finds the calls: the README's, every doc's, the worked example's and the CI's", () => {
    expect(calls.length).toBeGreaterThanOrEqual(60);
    for (const file of ["README.md", "docs/quickstart.md", "docs/aws-credentials.md", "examples/workflows/release.yml", ".github/workflows/ci.yml"]) {
      expect(
        calls.some((c) => c.file === file),
        file,
      ).toBe(true);
    }
  });

  it("names only constructor flags, functions, flags and fields of the module, along the whole chain", () => {
    const problems = calls.flatMap((c) => {
      const { surface, main } = moduleOf(c.module);
      return checkCall(surface, main, c.words).problems.map((p) => `${c.file}: ${c.text}\n    ${p}`);
    });
    expect(problems).toEqual([]);
  });

  it("gives AWS credentials only to with-aws, before the function that uses them", () => {
    const misplaced = calls.flatMap((c) => {
      if (moduleOf(c.module).main !== "Dpra") return [];
      const { chain } = checkCall(surfaces.get("dpra")!, "Dpra", c.words);
      const credentialFlags = c.words.filter((w) => /^--aws-/.test(w));
      if (credentialFlags.length === 0) return [];
      const withAws = chain.indexOf("with-aws");
      return withAws >= 0 && withAws < chain.length - 1 ? [] : [`${c.file}: ${c.text}`];
    });
    expect(misplaced).toEqual([]);
  });

  it("reads shell words as the shell does: quotes, $(...), <placeholders> and redirections", () => {
    expect(splitWords(`--ci-vars="$(env | grep -E '^GITHUB_(A|B)=')" summary >> "$GITHUB_STEP_SUMMARY"`)).toEqual([`--ci-vars="$(env | grep -E '^GITHUB_(A|B)=')"`, "summary"]);
    expect(splitWords("--image=<container from the build> --git-revision=$(git rev-parse HEAD) reference | tee out")).toEqual([
      "--image=<container from the build>",
      "--git-revision=$(git rev-parse HEAD)",
      "reference",
    ]);
    expect(splitWords("--env <gamma|prod> --apply  # reconcile")).toEqual(["--env", "<gamma|prod>", "--apply"]);
    expect(daggerCalls('x="$(dagger -m "$DPRA" call --source=. \\\n  release --env=beta \\\n  digest)"').map((c) => [c.module, c.words])).toEqual([
      ['"$DPRA"', ["--source=.", "release", "--env=beta", "digest"]],
    ]);
    expect(daggerCalls("Run `dagger call build` or `dagger call -m dagger check`.").map((c) => [c.module, c.words])).toEqual([
      [undefined, ["build"]],
      ["dagger", ["check"]],
    ]);
  });
});
