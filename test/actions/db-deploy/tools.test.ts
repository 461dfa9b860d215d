import { describe, expect, it } from "vitest";
import { deployMigrations, type CommandRunner } from "../../../src/actions/db-deploy/deploy.js";
import { formatDbDeployReport } from "../../../src/actions/db-deploy/report.js";
import {
  classifyFailure,
  jdbcUrl,
  migrationDriver,
  parseDbmateStatus,
  parseFlywayInfo,
  parseLiquibaseStatus,
  postgresUrl,
  TOOL_IMAGES,
  type CommandResult,
} from "../../../src/actions/db-deploy/tools.js";

const ok = (stdout: string): CommandResult => ({ exitCode: 0, stdout, stderr: "" });
const endpoint = { host: "db", port: 5432, database: "app", user: "app", sslmode: "disable" as const };

// Shape of `flyway -outputType=json info`: InfoResult.migrations[] of InfoOutput
// (flyway-core org.flywaydb.core.api.output.InfoOutput: category, version, description, type,
// installedOnUTC, state, undoable, filepath, installedBy, executionTime). State names are
// MigrationState display names.
const flywayInfo = (states: Array<[string, string]>) =>
  JSON.stringify({
    schemaVersion: "1",
    migrations: states.map(([version, state]) => ({
      category: "Versioned",
      version,
      description: `step ${version}`,
      type: "SQL",
      installedOnUTC: state === "Pending" ? "" : "2026-01-01T00:00:00.000Z",
      state,
      undoable: "No",
      filepath: `/flyway/sql/V${version}__step_${version}.sql`,
      installedBy: "app",
      executionTime: 3,
    })),
    operation: "info",
  });

describe("status parsers", () => {
  it("dbmate: [X] applied and [ ] pending lines (dbmate 2.36 output)", () => {
    const status = parseDbmateStatus(ok("[X] 20240101000000_create_fruits.sql\n[ ] 20240102000000_add_color.sql\n\nApplied: 1\nPending: 1\n"));
    expect(status).toEqual({ pending: ["20240102000000_add_color.sql"], applied: ["20240101000000_create_fruits.sql"], problems: [] });
  });

  it("dbmate: a failed status run or unknown output fails with the tool's message", () => {
    expect(() => parseDbmateStatus({ exitCode: 1, stdout: "", stderr: "Error: unable to connect to database: dial tcp: lookup db" })).toThrow(
      "dbmate failed: Error: unable to connect to database: dial tcp: lookup db",
    );
    expect(() => parseDbmateStatus(ok("hello"))).toThrow(/unexpected status output \(no "Pending:" line\): hello/);
  });

  it("flyway: pending, applied, and history problems by state", () => {
    const status = parseFlywayInfo(
      ok(
        flywayInfo([
          ["1", "Success"],
          ["2", "Pending"],
          ["3", "Pending"],
        ]),
      ),
    );
    expect(status).toEqual({ pending: ["V2__step_2.sql", "V3__step_3.sql"], applied: ["V1__step_1.sql"], problems: [] });
    const broken = parseFlywayInfo(
      ok(
        flywayInfo([
          ["1", "Missing"],
          ["2", "Failed"],
          ["3", "Ignored"],
        ]),
      ),
    );
    expect(broken.problems).toEqual([
      "V1__step_1.sql is applied in the database but missing from the migrations folder",
      "V2__step_2.sql is recorded as failed",
      "V3__step_3.sql is older than the newest applied migration and was never applied",
    ]);
  });

  it("flyway: an error document fails with Flyway's message", () => {
    const out = JSON.stringify({ error: { errorCode: "DB_CONNECTION", message: "Unable to obtain connection from database" } });
    expect(() => parseFlywayInfo({ exitCode: 1, stdout: out, stderr: "" })).toThrow("flyway failed: Unable to obtain connection from database");
  });

  it("liquibase: the pending list of `status --verbose` (Liquibase's own command test output)", () => {
    const text = "1 changeset has not been applied to LBUSER@jdbc:h2:mem:lbcat\n     changelogs/h2/complete/rollback.tag.plus.changelog.xml::1.111::nvoxland\n";
    expect(parseLiquibaseStatus(ok(text))).toEqual({ pending: ["changelogs/h2/complete/rollback.tag.plus.changelog.xml::1.111::nvoxland"], problems: [] });
    const two =
      "Liquibase Version: 4.33.0\n2 changesets have not been applied to app@jdbc:postgresql://db:5432/app\n     changelog.xml::1::dev\n     changelog.xml::2::dev\nLiquibase command 'status' was executed successfully.\n";
    expect(parseLiquibaseStatus(ok(two)).pending).toEqual(["changelog.xml::1::dev", "changelog.xml::2::dev"]);
    expect(parseLiquibaseStatus(ok("app@jdbc:postgresql://db:5432/app is up to date\n"))).toEqual({ pending: [], problems: [] });
  });

  it("liquibase: a count that does not match the list means the output was not verbose", () => {
    expect(() => parseLiquibaseStatus(ok("2 changesets have not been applied to x@y\n"))).toThrow(/says 2 pending changeset\(s\) but lists 0/);
  });
});

describe("tool drivers", () => {
  it("pins every image by version and digest", () => {
    for (const image of Object.values(TOOL_IMAGES)) expect(image).toMatch(/^[\w./-]+:[\w.-]+@sha256:[a-f0-9]{64}$/);
  });

  it("keeps credentials out of argv: the password (or a URL holding it) is a secret variable", () => {
    for (const tool of ["dbmate", "flyway", "liquibase"] as const) {
      const d = migrationDriver(tool);
      const env = d.environment(endpoint);
      expect(Object.values(env.secrets).length, tool).toBeGreaterThan(0);
      expect(JSON.stringify([d.statusArgs("/m"), d.migrateArgs("/m"), env.plain])).not.toMatch(/password=|:\/\/[^@/]+:[^@/]+@/i);
    }
    expect(migrationDriver("flyway").environment(endpoint)).toEqual({
      plain: { FLYWAY_URL: "jdbc:postgresql://db:5432/app?sslmode=disable", FLYWAY_USER: "app" },
      secrets: { FLYWAY_PASSWORD: "password" },
    });
    expect(migrationDriver("liquibase", { changelog: "main.yaml" }).statusArgs("/lb")).toEqual([
      "liquibase",
      "--search-path=/lb",
      "--changelog-file=main.yaml",
      "status",
      "--verbose",
    ]);
  });

  it("builds URLs with encoded credentials", () => {
    expect(postgresUrl(endpoint, "p@ss/word")).toBe("postgres://app:p%40ss%2Fword@db:5432/app?sslmode=disable");
    expect(jdbcUrl({ ...endpoint, sslmode: "require" })).toBe("jdbc:postgresql://db:5432/app?sslmode=require");
  });

  it("classifies failures by the tool's message", () => {
    expect(
      classifyFailure(
        "Validate failed: Migrations have failed validation\nMigration checksum mismatch for migration version 1\n-> Applied to database : -976138718\n-> Resolved locally    : -377557062",
      ),
    ).toBe("checksum-mismatch");
    expect(classifyFailure("Validation Failed:\n     1 changesets check sum\n          changelog.xml::1::dev was: 9:aaa but is now: 9:bbb")).toBe("checksum-mismatch");
    expect(classifyFailure("Error: migration `20240102000000` is out of order with already applied migrations")).toBe("history-mismatch");
    expect(classifyFailure('ERROR: relation "x" does not exist')).toBe("migration-failed");
  });
});

describe("deployMigrations with scripted tool output", () => {
  /** A fake flyway whose history table the script mutates, to exercise the flow without Java. */
  function flywayScript(opts: { migrate: CommandResult; after: string }): { run: CommandRunner; calls: string[][] } {
    const calls: string[][] = [];
    let statusCalls = 0;
    const run: CommandRunner = async (argv) => {
      calls.push(argv);
      if (argv.at(-1) === "info")
        return ok(
          statusCalls++ === 0
            ? flywayInfo([
                ["1", "Success"],
                ["2", "Pending"],
              ])
            : opts.after,
        );
      return opts.migrate;
    };
    return { run, calls };
  }

  it("flyway checksum mismatch: fails with Flyway's message, nothing applied", async () => {
    const message =
      "Validate failed: Migrations have failed validation\nMigration checksum mismatch for migration version 1\n-> Applied to database : -976138718\n-> Resolved locally    : -377557062\nEither revert the changes to the migration, or run repair to update the schema history.";
    const s = flywayScript({
      migrate: { exitCode: 1, stdout: "", stderr: message },
      after: flywayInfo([
        ["1", "Success"],
        ["2", "Pending"],
      ]),
    });
    const report = await deployMigrations(s.run, migrationDriver("flyway"), "/flyway/sql");
    expect(report).toMatchObject({ ok: false, applied: [], pendingBefore: ["V2__step_2.sql"], pendingAfter: ["V2__step_2.sql"] });
    expect(report.failure).toEqual({ kind: "checksum-mismatch", message });
    expect(report.summary).toBe("flyway: checksum mismatch: Either revert the changes to the migration, or run repair to update the schema history.");
    expect(formatDbDeployReport(report)).toContain("## Failure: checksum-mismatch");
  });

  it("a history problem in the status stops before migrating", async () => {
    const calls: string[][] = [];
    const run: CommandRunner = async (argv) => {
      calls.push(argv);
      return ok(
        flywayInfo([
          ["1", "Missing"],
          ["2", "Pending"],
        ]),
      );
    };
    const report = await deployMigrations(run, migrationDriver("flyway"), "/flyway/sql");
    expect(report.failure?.kind).toBe("history-mismatch");
    expect(calls.map((c) => c.at(-1))).toEqual(["info"]);
  });

  it("a migrate that reports success but leaves migrations pending is a failure", async () => {
    const s = flywayScript({
      migrate: ok("{}"),
      after: flywayInfo([
        ["1", "Success"],
        ["2", "Pending"],
      ]),
    });
    const report = await deployMigrations(s.run, migrationDriver("flyway"), "/flyway/sql");
    expect(report.ok).toBe(false);
    expect(report.failure).toEqual({ kind: "migration-failed", message: "still pending after migrate: V2__step_2.sql" });
  });

  it("formats a successful report as Markdown", async () => {
    const s = flywayScript({
      migrate: ok("{}"),
      after: flywayInfo([
        ["1", "Success"],
        ["2", "Success"],
      ]),
    });
    const report = await deployMigrations(s.run, migrationDriver("flyway"), "/flyway/sql");
    expect(report.ok).toBe(true);
    expect(formatDbDeployReport(report)).toBe(
      "# DB deploy (flyway): succeeded\n\nflyway: applied 1 migration(s): V2__step_2.sql\n\n## Pending before\n- V2__step_2.sql\n\n## Applied\n- V2__step_2.sql\n\n## Pending after\n- (none)\n",
    );
  });
});

describe("tool messages", () => {
  it("mask URL passwords a tool echoes in an error", async () => {
    const { toolMessage, redactUrlCredentials } = await import("../../../src/actions/db-deploy/tools.js");
    expect(toolMessage({ exitCode: 1, stdout: "", stderr: 'Error: parse "postgres://app:s3cr%2Ft@db:5432/app": invalid port' })).toBe(
      'Error: parse "postgres://app:***@db:5432/app": invalid port',
    );
    expect(redactUrlCredentials("jdbc:postgresql://db/app?user=app&password=hunter2&ssl=true")).toBe("jdbc:postgresql://db/app?user=app&password=***&ssl=true");
    expect(redactUrlCredentials('relation "x" does not exist')).toBe('relation "x" does not exist');
  });
});
