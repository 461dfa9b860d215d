import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/fixtures.js";

// The rules of .dependency-cruiser.mjs (run by `npm run lint`) against a small tree that breaks each
// of them once, so a rule that silently stops matching fails here rather than letting cycles in.
const CONFIG = path.join(repoRoot, ".dependency-cruiser.mjs");
const DEPCRUISE = path.join(repoRoot, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "dpra-depcruise-"));
  roots.push(root);
  const all: Record<string, string> = {
    "tsconfig.json": JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true } }),
    // A stand-in SDK where the real one sits, so the import resolves as it does in the repository.
    "node_modules/@dagger.io/dagger/package.json": JSON.stringify({ name: "@dagger.io/dagger", version: "0.0.0", type: "module", main: "index.js" }),
    "node_modules/@dagger.io/dagger/index.js": "export class Directory {}\n",
    ...files,
  };
  for (const [file, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

function run(root: string, outputType: string) {
  return spawnSync(process.execPath, [DEPCRUISE, "src", "--config", CONFIG, "--output-type", outputType], { cwd: root, encoding: "utf8" });
}

/** The violations as [rule, from, to], sorted. */
function violations(root: string): Array<[string, string, string]> {
  const out = run(root, "json");
  if (!out.stdout) throw new Error(`depcruise printed nothing: ${out.stderr}`);
  const result = JSON.parse(out.stdout) as { summary: { violations: Violation[] } };
  return result.summary.violations.map((v): [string, string, string] => [v.rule.name, v.from, v.to]).sort();
}

describe("dependency rules (.dependency-cruiser.mjs)", () => {
  it("pass a tree that keeps them", { timeout: 60_000 }, () => {
    const root = tree({
      "src/index.ts": 'import { Directory } from "@dagger.io/dagger";\nimport { core } from "./stages/beta/core.js";\nexport const d = [Directory, core];\n',
      "src/stages/beta/core.ts": 'import { endpoint } from "../../aws/facts.js";\nexport const core = endpoint;\n',
      "src/aws/facts.ts": "export const endpoint = 1;\n",
    });
    expect(violations(root)).toEqual([]);
    expect(run(root, "err-long").status).toBe(0);
  });

  it("fail on a cycle between folders, src/aws/ importing src/stages/, and a core importing Dagger", { timeout: 60_000 }, () => {
    const root = tree({
      "src/index.ts": 'import type { Directory } from "@dagger.io/dagger";\nexport type D = Directory;\n',
      "src/release/release.ts": 'import { beta } from "../stages/beta/stage.js";\nexport const release = beta;\n',
      "src/stages/beta/stage.ts": 'import type { Context } from "../../release/context.js";\nexport const beta = (c: Context) => c;\n',
      "src/release/context.ts": "export interface Context { id: string }\n",
      "src/aws/synthetics/spec.ts": 'import { facts } from "../../stages/gamma/facts.js";\nexport const spec = facts;\n',
      "src/stages/gamma/facts.ts": "export const facts = 1;\n",
      "src/stages/gamma/core.ts": 'import type { Directory } from "@dagger.io/dagger";\nexport type D = Directory;\n',
    });
    expect(violations(root)).toEqual([
      ["aws-imports-no-stages", "src/aws/synthetics/spec.ts", "src/stages/gamma/facts.ts"],
      ["aws-is-the-sdk-layer", "src/aws/synthetics/spec.ts", "src/stages/gamma/facts.ts"],
      ["cores-import-no-dagger", "src/stages/gamma/core.ts", "node_modules/@dagger.io/dagger/index.js"],
      ["no-folder-cycle", "src/release", "src/stages/beta"],
      ["no-folder-cycle", "src/stages/beta", "src/release"],
    ]);
    // What `npm run lint` sees: a non-zero exit, so `npm test` stops.
    const lint = run(root, "err-long");
    expect(lint.status).not.toBe(0);
    expect(lint.stdout).toContain("error no-folder-cycle: src/release");
    // err-long prints the rule's comment: what to do about it.
    expect(lint.stdout).toMatch(/Move\s+the\s+shared\s+type\s+or\s+function\s+to\s+the\s+folder\s+that\s+owns\s+the\s+concept/);
  });

  it("tell an adapter (*.dagger.ts, which must use Dagger) from a core (Dagger-free, an adapter's types only); keep src/aws/ below both", { timeout: 60_000 }, () => {
    const root = tree({
      "src/stages/gamma/provider.dagger.ts": 'import { Directory } from "@dagger.io/dagger";\nexport const provider = new Directory();\nexport type Provider = typeof provider;\n',
      "src/stages/gamma/types.ts": 'import type { Provider } from "./provider.dagger.js";\nexport type P = Provider;\n',
      "src/stages/gamma/core.ts": 'import { provider } from "./provider.dagger.js";\nexport const p = provider;\n',
      "src/stages/gamma/shell.ts": 'import { Directory } from "@dagger.io/dagger";\nexport const d = new Directory();\n',
      "src/stages/gamma/summary.dagger.ts": 'import type { P } from "./types.js";\nexport const s = (p: P) => p;\n',
      "src/aws/ecr/login.ts": 'import type { Provider } from "../../stages/gamma/provider.dagger.js";\nexport type L = Provider;\n',
      "src/aws/ecr/retry.ts":
        'import { errorMessage } from "../../errors.js";\nimport type { Limits } from "../../config/limits.js";\nimport { wave } from "../../actions/waves/wave.js";\nexport const r = [errorMessage, wave] as const;\nexport type R = Limits;\n',
      "src/errors.ts": "export const errorMessage = (e: unknown) => String(e);\n",
      "src/config/limits.ts": "export interface Limits { n: number }\n",
      "src/actions/waves/wave.ts": "export const wave = 1;\n",
    });
    expect(violations(root)).toEqual([
      // summary.dagger.ts uses no Dagger (provider.dagger.ts does; types.ts only names its type).
      ["adapters-use-dagger", "src/stages/gamma/summary.dagger.ts", "src/stages/gamma/summary.dagger.ts"],
      ["aws-imports-no-dagger", "src/aws/ecr/login.ts", "src/stages/gamma/provider.dagger.ts"],
      ["aws-imports-no-stages", "src/aws/ecr/login.ts", "src/stages/gamma/provider.dagger.ts"],
      ["aws-is-the-sdk-layer", "src/aws/ecr/login.ts", "src/stages/gamma/provider.dagger.ts"],
      ["aws-is-the-sdk-layer", "src/aws/ecr/retry.ts", "src/actions/waves/wave.ts"],
      ["cores-import-no-adapter", "src/stages/gamma/core.ts", "src/stages/gamma/provider.dagger.ts"],
      ["cores-import-no-dagger", "src/stages/gamma/shell.ts", "node_modules/@dagger.io/dagger/index.js"],
    ]);
    expect(run(root, "err-long").stdout).toMatch(/rename\s+(it|this\s+file)\s+to\s+<name>\.dagger\.ts/);
  });
});
