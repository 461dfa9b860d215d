// DB deploy as a sequence of tool commands: status (what is pending), migrate, status again (what
// was applied). The commands run through a `CommandRunner`: Dagger containers in the pipeline, the
// real local binary in tests. Rerunning applies nothing; a history problem stops before migrating;
// a failed migration reports the tool's own message. Engine-free.
import type { DbDeployReport } from "./report.js";
import { classifyFailure, MigrationToolError, toolMessage, type CommandResult, type MigrationDriver } from "./tools.js";
import { errorMessage } from "../../errors.js";

export type CommandRunner = (argv: string[]) => Promise<CommandResult>;

/** Runs status → migrate → status with `run` and reports what was pending and what got applied. */
export async function deployMigrations(run: CommandRunner, driver: MigrationDriver, migrationsDir: string): Promise<DbDeployReport> {
  const tool = driver.tool;
  const base = { tool, pendingBefore: [] as string[], applied: [] as string[], pendingAfter: [] as string[] };

  let before;
  try {
    before = driver.parseStatus(await run(driver.statusArgs(migrationsDir)));
  } catch (err) {
    // Liquibase's status validates applied checksums too: a mismatch is reported as what it is.
    const message = messageOf(err);
    const kind = classifyFailure(message);
    if (kind === "checksum-mismatch") return failed(base, kind, message, `${tool}: checksum mismatch: ${message.split("\n").pop()}`);
    return failed(base, "status-failed", message, `${tool}: could not read the migration status`);
  }
  base.pendingBefore = before.pending;
  if (before.problems.length > 0) {
    const message = before.problems.join("; ");
    return failed({ ...base, pendingAfter: before.pending }, "history-mismatch", message, `${tool}: the recorded migration history does not match the migrations folder`);
  }

  // Always migrate, even with nothing pending: the tools validate applied checksums on migrate.
  const migrate = await run(driver.migrateArgs(migrationsDir));
  let after;
  try {
    after = driver.parseStatus(await run(driver.statusArgs(migrationsDir)));
  } catch (err) {
    if (migrate.exitCode !== 0) return migrateFailed(base, driver, migrate, base.pendingBefore);
    return failed(base, "status-failed", messageOf(err), `${tool}: could not read the migration status after migrating`);
  }
  const applied = before.pending.filter((m) => !after.pending.includes(m));
  const result = { ...base, applied, pendingAfter: after.pending };
  if (migrate.exitCode !== 0) return migrateFailed(result, driver, migrate, after.pending);
  if (after.pending.length > 0) {
    return failed(result, "migration-failed", `still pending after migrate: ${after.pending.join(", ")}`, `${tool}: ${after.pending.length} migration(s) were not applied`);
  }
  const summary = applied.length === 0 ? `${tool}: up to date, nothing to apply` : `${tool}: applied ${applied.length} migration(s): ${applied.join(", ")}`;
  return { ...result, ok: true, status: "migrated", summary };
}

function migrateFailed(base: Omit<DbDeployReport, "ok" | "status" | "summary">, driver: MigrationDriver, migrate: CommandResult, stillPending: string[]): DbDeployReport {
  const message = driver.failureMessage ? driver.failureMessage(migrate) : toolMessage(migrate);
  const kind = classifyFailure(message);
  const what = kind === "checksum-mismatch" ? "checksum mismatch" : kind === "history-mismatch" ? "migration history mismatch" : "migration failed";
  const first = stillPending[0];
  const at = kind === "migration-failed" && first ? ` at ${first}` : "";
  return failed({ ...base, pendingAfter: stillPending }, kind, message, `${base.tool}: ${what}${at}: ${message.split("\n").pop()}`);
}

function failed(base: Omit<DbDeployReport, "ok" | "status" | "summary">, kind: NonNullable<DbDeployReport["failure"]>["kind"], message: string, summary: string): DbDeployReport {
  return { ...base, ok: false, status: "failed", failure: { kind, message }, summary };
}

function messageOf(err: unknown): string {
  if (err instanceof MigrationToolError) return err.toolMessage;
  return errorMessage(err);
}
