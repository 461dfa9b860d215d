// Level 1 (real service): test/support/postgres.ts starts a real PostgreSQL (Debian's server
// binaries; as root, run as the `postgres` user), also when the working folder and TMPDIR are a
// mode-700 folder that the `postgres` user cannot enter, as a CI clone under root's home has it.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { repoRoot } from "./fixtures.js";
import { resolvePostgres, startPostgres, type PostgresServer } from "./postgres.js";
import { describeReal } from "./real.js";

describeReal(
  "postgresql",
  (tool) => {
    let server: PostgresServer;
    beforeAll(async () => {
      server = await startPostgres();
    }, 60_000);
    afterAll(async () => server?.stop());

    it(`runs PostgreSQL ${tool.version} on loopback with password authentication`, async () => {
      await server.createDatabase("probe");
      const rows = await server.query<{ v: string }>("probe", "select current_setting('server_version') as v");
      expect(rows[0]?.v.startsWith(tool.version)).toBe(true);
      expect(server.url("probe")).toMatch(new RegExp(`^postgres://postgres:[0-9a-f]{32}@127\\.0\\.0\\.1:${server.port}/probe\\?sslmode=disable$`));
    });

    it("starts from a working folder and TMPDIR of mode 700", () => {
      const privateDir = mkdtempSync(path.join(os.tmpdir(), "dpra-private-"));
      try {
        chmodSync(privateDir, 0o700);
        expect(statSync(privateDir).mode & 0o777).toBe(0o700);
        const script = path.join(privateDir, "start.mts");
        const support = path.join(repoRoot, "test", "support", "postgres.ts");
        writeFileSync(
          script,
          `import { startPostgres } from ${JSON.stringify(support)};\n` +
            `const s = await startPostgres();\n` +
            `const rows = await s.query("postgres", "select 41 + 1 as n");\n` +
            `await s.stop();\n` +
            `console.log("answer=" + rows[0].n);\n`,
        );
        const child = spawnSync(path.join(repoRoot, "node_modules", ".bin", "tsx"), [script], {
          cwd: privateDir,
          env: { ...process.env, TMPDIR: privateDir },
          encoding: "utf8",
          timeout: 90_000,
        });
        expect(`${child.stdout}${child.stderr}`).toContain("answer=42");
        expect(child.status).toBe(0);
      } finally {
        rmSync(privateDir, { recursive: true, force: true });
      }
    }, 120_000);
  },
  resolvePostgres,
);
