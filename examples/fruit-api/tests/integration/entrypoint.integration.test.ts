import { execFile, spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { dbmate, dbmateBin, exampleRoot } from "../support/dbmate.js";
import { freePort } from "../support/ports.js";

// The compiled entrypoints the image runs (`node dist/migrate.js`, `node dist/main.js`), started as
// real processes: migrations through the migrate task's code path, JSON logs on stdout, and a
// clean exit on SIGTERM. Needs a database it may create, so it runs only on the local stack.
const outDir = path.join(exampleRoot, ".test-build");

/** Emits src/ as `tsc -p tsconfig.build.json` would, file by file (the type check is `npm run typecheck`'s job). */
function compileSources(srcDir: string, targetDir: string): void {
  for (const entry of readdirSync(srcDir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const file = path.join(entry.parentPath, entry.name);
    const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
      fileName: file,
    });
    const out = path.join(targetDir, path.relative(srcDir, file)).replace(/\.ts$/, ".js");
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
}

describe.skipIf(!inject("localStack"))("compiled entrypoints", () => {
  let databaseUrl: string;

  beforeAll(async () => {
    compileSources(path.join(exampleRoot, "src"), outDir);
    const url = new URL(inject("databaseUrl") as string);
    url.pathname = "/fruits_entrypoint";
    databaseUrl = url.toString();
    await dbmate(databaseUrl, "create");
  });

  afterAll(async () => {
    rmSync(outDir, { recursive: true, force: true });
    if (databaseUrl) await dbmate(databaseUrl, "drop");
  });

  it("migrates with migrate.js, serves with main.js, and drains on SIGTERM", async () => {
    const port = await freePort();
    const env = { ...process.env, DATABASE_URL: databaseUrl, HOST: "127.0.0.1", PORT: String(port), DBMATE_BIN: dbmateBin() };

    const migrate = await promisify(execFile)("node", [path.join(outDir, "migrate.js")], { env });
    expect(migrate.stdout).toContain("Applied: 20250201000000_add_fruit_origin.sql");

    const app = spawn("node", [path.join(outDir, "main.js")], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    app.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => app.on("exit", (code) => resolve(code)));
    try {
      let ready = false;
      for (let i = 0; i < 100 && !ready; i++) {
        ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok, () => false);
        if (!ready) await new Promise((r) => setTimeout(r, 50));
      }
      expect(ready).toBe(true);
      const fruits = (await (await fetch(`http://127.0.0.1:${port}/api/fruits`)).json()) as unknown[];
      expect(fruits).toHaveLength(4);
    } finally {
      app.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    const lines = stdout.trim().split("\n").map((line) => JSON.parse(line) as { msg: string; level: number });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(["Server listening at http://127.0.0.1:" + port, "shutting down", "shutdown complete"]));
  });
});
