import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const exampleRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * The dbmate binary: DBMATE_BIN when set (dpra's own test run points it at its pinned
 * `.tools/bin/dbmate`), else `dbmate` on PATH. Not an npm dependency: the npm package's lockfile
 * entries cannot be complete for every platform here, and the image takes dbmate from its release image.
 */
export function dbmateBin(): string {
  return process.env.DBMATE_BIN ?? "dbmate";
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
