import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const exampleRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The dbmate binary the `dbmate` npm package installs; DBMATE_BIN overrides it (e.g. in a dbmate image). */
export function dbmateBin(): string {
  return process.env.DBMATE_BIN ?? path.join(exampleRoot, "node_modules", ".bin", "dbmate");
}

export interface DbmateResult {
  stdout: string;
  stderr: string;
}

/** Runs the real dbmate CLI against `databaseUrl` with the migrations in db/migrations. */
export function dbmate(databaseUrl: string, ...args: string[]): Promise<DbmateResult> {
  return new Promise((resolve, reject) => {
    execFile(
      dbmateBin(),
      ["--migrations-dir", path.join(exampleRoot, "db", "migrations"), "--no-dump-schema", ...args],
      { env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`dbmate ${args.join(" ")} failed: ${error.message}\n${stderr}`));
        else resolve({ stdout, stderr });
      },
    );
  });
}
