// The one place dpra's tests start a real PostgreSQL: a throwaway cluster from the host's
// PostgreSQL server binaries (Debian's package `postgresql`, /usr/lib/postgresql/<major>/bin;
// DPRA_PG_BIN overrides the folder), on a free loopback port, password authentication only.
// PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user, with its
// data, socket and log in a fresh folder under /tmp that this user can reach: nothing depends on
// where the checkout sits (a clone inside a mode-700 folder works, the binaries are not in it).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "./ports.js";
import type { Resolution } from "./real.js";

export interface PostgresServer {
  host: "127.0.0.1";
  port: number;
  /** The superuser (`postgres`) and its password. */
  user: string;
  password: string;
  /** The server's version, as `postgres --version` prints it (e.g. 15.14). */
  version: string;
  /** `postgres://` URL of a database on this server (sslmode=disable). */
  url(database: string): string;
  createDatabase(name: string): Promise<void>;
  /** Runs one statement as the superuser in `database` and returns the rows. */
  query<T = Record<string, unknown>>(database: string, sql: string): Promise<T[]>;
  stop(): Promise<void>;
}

/** The folder with initdb, pg_ctl and postgres: DPRA_PG_BIN, or the newest /usr/lib/postgresql/<major>/bin. */
export function postgresBinDir(): string | undefined {
  const given = process.env.DPRA_PG_BIN?.trim();
  if (given) return given;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((d) => /^\d+$/.test(d) && existsSync(path.join(root, d, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? path.join(root, majors[0], "bin") : undefined;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** As root: the `postgres` user's ids (Debian's package creates it). */
function serverUser(): RunAs {
  if (process.getuid?.() !== 0) return {};
  const uid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error("PostgreSQL cannot run as root and there is no `postgres` user: install Debian's postgresql package (it creates the user).");
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Says whether a PostgreSQL server can be started here (for `describeReal("postgresql", ..., check)`). */
export function resolvePostgres(): Resolution {
  const dir = postgresBinDir();
  if (!dir) return { ok: false, reason: "no PostgreSQL server binaries (install Debian's postgresql package, or set DPRA_PG_BIN)" };
  const bin = path.join(dir, "postgres");
  const out = spawnSync(bin, ["--version"], { encoding: "utf8" });
  const version = /\(PostgreSQL\) (\d+(?:\.\d+)*)/.exec(out.stdout ?? "")?.[1];
  if (out.status !== 0 || !version) return { ok: false, reason: `${bin} --version did not print a PostgreSQL version: ${(out.stderr ?? "").trim()}` };
  return { ok: true, tool: { name: "postgresql", bin, version } };
}

function run(bin: string, args: string[], as: RunAs, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...as, env, cwd: "/", stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Starts a throwaway PostgreSQL; `stop()` ends it and removes its folder. */
export async function startPostgres(): Promise<PostgresServer> {
  const found = resolvePostgres();
  if (!found.ok) throw new Error(found.reason);
  const binDir = path.dirname(found.tool.bin);
  const as = serverUser();
  // /tmp is world-reachable (mode 1777); TMPDIR may be a private folder the postgres user cannot enter.
  const parent = as.uid === undefined ? os.tmpdir() : "/tmp";
  const base = mkdtempSync(path.join(parent, "dpra-pg-"));
  const data = path.join(base, "data");
  const password = randomBytes(16).toString("hex");
  const port = await freePort();
  const env = { PATH: process.env.PATH ?? "", LANG: "C.UTF-8", LC_ALL: "C.UTF-8", HOME: base };
  const stop = async () => {
    if (existsSync(path.join(data, "postmaster.pid"))) await run(path.join(binDir, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], as, env);
    rmSync(base, { recursive: true, force: true });
  };
  try {
    chmodSync(base, 0o700);
    mkdirSync(data, { mode: 0o700 });
    const pwfile = path.join(base, "pwfile");
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (as.uid !== undefined && as.gid !== undefined) {
      for (const p of [base, data, pwfile]) chownSync(p, as.uid, as.gid);
    }
    const init = await run(path.join(binDir, "initdb"), ["-D", data, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwfile}`, "-E", "UTF8", "--no-sync"], as, env);
    rmSync(pwfile, { force: true });
    if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code}):\n${init.output.trim()}`);
    const options = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    const started = await run(path.join(binDir, "pg_ctl"), ["-D", data, "-o", options, "-l", path.join(base, "server.log"), "-w", "-t", "60", "start"], as, env);
    if (started.code !== 0) throw new Error(`pg_ctl start failed (exit ${started.code}):\n${started.output.trim()}`);
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  const connect = async (database: string) => {
    const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", password, database });
    await client.connect();
    return client;
  };
  const query = async <T>(database: string, sql: string): Promise<T[]> => {
    const client = await connect(database);
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  };
  return {
    host: "127.0.0.1",
    port,
    user: "postgres",
    password,
    version: found.tool.version,
    url: (database) => `postgres://postgres:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}?sslmode=disable`,
    createDatabase: async (name) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name "${name}": expected lower-case letters, digits and _`);
      await query("postgres", `create database ${name}`);
    },
    query,
    stop,
  };
}
