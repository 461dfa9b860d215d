// The migration tools as data and pure functions: pinned images, command lines, connection
// environment, and parsers of each tool's status output. The Dagger recipe and the tests that run
// the real dbmate binary share these, so what is tested is what runs. Engine-free.

import { TOOLS } from "../../tools/catalog.js";

export type MigrationToolName = "dbmate" | "flyway" | "liquibase";

/** What one command produced. */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What a tool's status command says about the migrations. */
export interface MigrationStatus {
  /** Migrations the tool would apply, in order. */
  pending: string[];
  /** Migrations recorded as applied, when the tool lists them (Liquibase's status lists pending only). */
  applied?: string[];
  /** Problems in the recorded history: failed, missing or ignored migrations. */
  problems: string[];
}

/** How to reach the database. The password travels separately, as a secret. */
export interface DbEndpoint {
  host: string;
  port: number;
  database: string;
  user: string;
  /** libpq sslmode for the URL forms (`disable` for the Beta service, `require` on AWS). */
  sslmode: "disable" | "require" | "verify-full";
}

/** Environment for a tool: plain variables, and which secret each secret variable carries. */
export interface ToolEnvironment {
  plain: Record<string, string>;
  secrets: Record<string, "password" | "url">;
}

export interface MigrationDriver {
  tool: MigrationToolName;
  /** Pinned image of the tool. */
  image: string;
  /** The tool's command name inside its image. */
  binary: string;
  /** Where the migrations folder is mounted in the tool's container. */
  mountPath: string;
  statusArgs(migrationsDir: string): string[];
  migrateArgs(migrationsDir: string): string[];
  /** Parses a successful status run; throws with the tool's own message if the status run failed. */
  parseStatus(result: CommandResult): MigrationStatus;
  /** The tool's own words for a failed migrate run (default: toolMessage). */
  failureMessage?(result: CommandResult): string;
  environment(endpoint: DbEndpoint): ToolEnvironment;
}

/** Images pinned by version and digest, from the tool catalog (src/tools/catalog.ts). */
export const TOOL_IMAGES: Record<MigrationToolName, string> = {
  dbmate: TOOLS.dbmate.image,
  flyway: TOOLS.flyway.image,
  liquibase: TOOLS.liquibase.image,
};

/** Thrown when a tool's status command itself fails; carries the tool's message. */
export class MigrationToolError extends Error {
  constructor(
    readonly tool: MigrationToolName,
    readonly toolMessage: string,
  ) {
    super(`${tool} failed: ${toolMessage}`);
    this.name = "MigrationToolError";
  }
}

/** The tool's own words for a failed run: stderr first, stdout when stderr is empty, last lines only. */
export function toolMessage(result: CommandResult, maxLines = 20): string {
  const text = (result.stderr.trim() || result.stdout.trim() || `exit code ${result.exitCode}, no output`).split("\n");
  return redactUrlCredentials(text.slice(-maxLines).join("\n"));
}

/**
 * Masks passwords of URLs a tool may echo in an error (`postgres://app:<password>@db/...`). Dagger
 * already scrubs secret values from exec output; this also catches re-encoded forms of them.
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, "$1***@").replace(/(password=)[^\s&;]+/gi, "$1***");
}

export function postgresUrl(endpoint: DbEndpoint, password: string): string {
  const user = encodeURIComponent(endpoint.user);
  return `postgres://${user}:${encodeURIComponent(password)}@${endpoint.host}:${endpoint.port}/${encodeURIComponent(endpoint.database)}?sslmode=${endpoint.sslmode}`;
}

export function jdbcUrl(endpoint: DbEndpoint): string {
  return `jdbc:postgresql://${endpoint.host}:${endpoint.port}/${endpoint.database}?sslmode=${endpoint.sslmode}`;
}

// dbmate ------------------------------------------------------------------------------------

/**
 * `dbmate status` prints one line per migration file, `[X] <file>` applied and `[ ] <file>` pending,
 * then `Applied: N` and `Pending: N`.
 */
export function parseDbmateStatus(result: CommandResult): MigrationStatus {
  if (result.exitCode !== 0) throw new MigrationToolError("dbmate", toolMessage(result));
  const pending: string[] = [];
  const applied: string[] = [];
  let sawPendingCount = false;
  for (const line of result.stdout.split("\n")) {
    const m = /^\[( |X)\] (.+?)\s*$/.exec(line);
    if (m) (m[1] === "X" ? applied : pending).push(m[2]!);
    if (/^Pending: \d+\s*$/.test(line)) sawPendingCount = true;
  }
  if (!sawPendingCount) {
    throw new MigrationToolError("dbmate", `unexpected status output (no "Pending:" line): ${result.stdout.trim().slice(0, 500) || "(empty)"}`);
  }
  // dbmate lists files only and records no checksums: history problems surface as --strict failures.
  return { pending, applied, problems: [] };
}

const dbmate: MigrationDriver = {
  tool: "dbmate",
  image: TOOL_IMAGES.dbmate,
  binary: "dbmate",
  mountPath: "/db/migrations",
  statusArgs: (dir) => ["dbmate", "--no-dump-schema", "--migrations-dir", dir, "status"],
  // --strict: a migration older than the newest applied one is a history problem, not something to slip in.
  migrateArgs: (dir) => ["dbmate", "--no-dump-schema", "--migrations-dir", dir, "migrate", "--strict"],
  parseStatus: parseDbmateStatus,
  environment: () => ({ plain: {}, secrets: { DATABASE_URL: "url" } }),
};

// Flyway ------------------------------------------------------------------------------------

interface FlywayInfoJson {
  migrations?: Array<{ version?: string; description?: string; state?: string; filepath?: string; category?: string }>;
  error?: { errorCode?: string; message?: string };
}

/** Parses `flyway -outputType=json info`. Failed, missing and ignored migrations are history problems. */
export function parseFlywayInfo(result: CommandResult): MigrationStatus {
  const json = parseFlywayJson(result);
  if (result.exitCode !== 0 || json?.error) {
    throw new MigrationToolError("flyway", flywayFailureMessage(result));
  }
  if (!json || !Array.isArray(json.migrations)) {
    throw new MigrationToolError("flyway", `unexpected info output (no "migrations" list): ${result.stdout.trim().slice(0, 500) || "(empty)"}`);
  }
  const pending: string[] = [];
  const applied: string[] = [];
  const problems: string[] = [];
  for (const m of json.migrations) {
    const name = flywayName(m);
    const state = (m.state ?? "").toLowerCase();
    if (state === "pending") pending.push(name);
    else if (state === "success" || state === "baseline" || state === "out of order") applied.push(name);
    else if (state === "failed") problems.push(`${name} is recorded as failed`);
    else if (state === "missing") problems.push(`${name} is applied in the database but missing from the migrations folder`);
    else if (state === "ignored") problems.push(`${name} is older than the newest applied migration and was never applied`);
  }
  return { pending, applied, problems };
}

function flywayName(m: { version?: string; description?: string; filepath?: string }): string {
  if (m.filepath) return m.filepath.split(/[\\/]/).pop()!;
  return `${m.version ? `V${m.version} ` : ""}${m.description ?? ""}`.trim();
}

/** Flyway prints one JSON document on stdout with -outputType=json, also for errors. */
function parseFlywayJson(result: CommandResult): FlywayInfoJson | undefined {
  const text = result.stdout.trim();
  const start = text.indexOf("{");
  if (start < 0) return undefined;
  try {
    return JSON.parse(text.slice(start)) as FlywayInfoJson;
  } catch {
    return undefined;
  }
}

/**
 * A failed Flyway run with -outputType=json prints the error as JSON on stdout: its `message` (e.g.
 * "Script V3__x.sql failed ... Message : ERROR: relation ... does not exist"), not the JSON's tail.
 */
export function flywayFailureMessage(result: CommandResult): string {
  const message = parseFlywayJson(result)?.error?.message;
  return typeof message === "string" && message.trim() ? redactUrlCredentials(message.trim()) : toolMessage(result);
}

const flyway: MigrationDriver = {
  tool: "flyway",
  failureMessage: flywayFailureMessage,
  image: TOOL_IMAGES.flyway,
  binary: "flyway",
  mountPath: "/flyway/sql",
  statusArgs: (dir) => ["flyway", "-outputType=json", `-locations=filesystem:${dir}`, "info"],
  // validateOnMigrate (the default) fails on checksum mismatches before anything is applied.
  migrateArgs: (dir) => ["flyway", "-outputType=json", `-locations=filesystem:${dir}`, "-validateOnMigrate=true", "migrate"],
  parseStatus: parseFlywayInfo,
  environment: (e) => ({
    plain: { FLYWAY_URL: jdbcUrl(e), FLYWAY_USER: e.user },
    secrets: { FLYWAY_PASSWORD: "password" },
  }),
};

// Liquibase ---------------------------------------------------------------------------------

/**
 * Parses `liquibase status --verbose`: `<n> changeset(s) has/have not been applied to <db>` followed
 * by one indented `<file>::<id>::<author>` line per pending changeset, or `<db> is up to date`.
 */
export function parseLiquibaseStatus(result: CommandResult): MigrationStatus {
  if (result.exitCode !== 0) throw new MigrationToolError("liquibase", toolMessage(result));
  const lines = result.stdout.split("\n");
  const header = lines.findIndex((l) => /^\d+ changesets? ha(s|ve) not been applied to /.test(l.trim()));
  if (header < 0) {
    if (lines.some((l) => / is up to date\s*$/.test(l))) return { pending: [], problems: [] };
    throw new MigrationToolError("liquibase", `unexpected status output: ${result.stdout.trim().slice(0, 500) || "(empty)"}`);
  }
  const count = Number(/^(\d+)/.exec(lines[header]!.trim())![1]);
  const pending: string[] = [];
  for (const line of lines.slice(header + 1)) {
    const m = /^\s+(\S.*::.*::.*?)\s*$/.exec(line);
    if (!m) break;
    pending.push(m[1]!);
  }
  if (pending.length !== count) {
    throw new MigrationToolError("liquibase", `status says ${count} pending changeset(s) but lists ${pending.length}; run it with --verbose`);
  }
  return { pending, problems: [] };
}

/** Liquibase's root changelog, relative to the migrations folder, unless dpra.yaml names another. */
export const DEFAULT_LIQUIBASE_CHANGELOG = "changelog.xml";

function liquibase(changelog: string): MigrationDriver {
  return {
    tool: "liquibase",
    image: TOOL_IMAGES.liquibase,
    binary: "liquibase",
    mountPath: "/liquibase/changelog",
    statusArgs: (dir) => ["liquibase", `--search-path=${dir}`, `--changelog-file=${changelog}`, "status", "--verbose"],
    // update validates the checksums of applied changesets first and fails on a mismatch.
    migrateArgs: (dir) => ["liquibase", `--search-path=${dir}`, `--changelog-file=${changelog}`, "update"],
    parseStatus: parseLiquibaseStatus,
    environment: (e) => ({
      // Liquibase 4.30+ sends anonymous usage analytics unless told not to; a pipeline sends nothing.
      plain: { LIQUIBASE_COMMAND_URL: jdbcUrl(e), LIQUIBASE_COMMAND_USERNAME: e.user, LIQUIBASE_ANALYTICS_ENABLED: "false" },
      secrets: { LIQUIBASE_COMMAND_PASSWORD: "password" },
    }),
  };
}

export function migrationDriver(tool: MigrationToolName, options: { changelog?: string } = {}): MigrationDriver {
  switch (tool) {
    case "dbmate":
      return dbmate;
    case "flyway":
      return flyway;
    case "liquibase":
      return liquibase(options.changelog ?? DEFAULT_LIQUIBASE_CHANGELOG);
    default:
      throw new Error(`unknown migration tool "${String(tool)}": expected dbmate, flyway or liquibase`);
  }
}

export type FailureKind = "checksum-mismatch" | "history-mismatch" | "migration-failed";

/** Classifies a failed migrate run by the tool's message. */
export function classifyFailure(message: string): FailureKind {
  if (/check ?sum/i.test(message)) return "checksum-mismatch";
  if (/out of order|not resolved locally|not applied to database|missing from the migrations|Validate failed|Validation Failed/i.test(message)) {
    return "history-mismatch";
  }
  return "migration-failed";
}
