// DB deploy as a sequence of tool commands: status (what is pending), migrate, status again (what
// was applied). The commands run through a `CommandRunner`: Dagger containers in the pipeline, the
// real local binary in tests. Rerunning applies nothing; a history problem stops before migrating;
// a failed migration reports the tool's own message. Engine-free.
import { classifyFailure, MigrationToolError, toolMessage, type CommandResult, type FailureKind, type MigrationDriver } from "./tools.js";
import { errorMessage } from "../../errors.js";

export type CommandRunner = (argv: string[]) => Promise<CommandResult>;

export interface DbDeployReport {
  tool: string;
  ok: boolean;
  /** Pending before the deploy, in the tool's order. */
  pendingBefore: string[];
  /** Applied by this deploy. */
  applied: string[];
  /** Still pending afterwards (empty on success). */
  pendingAfter: string[];
  failure?: { kind: FailureKind | "status-failed"; message: string };
  /** One line for the release report. */
  summary: string;
}

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
  const summary =
    applied.length === 0
      ? `${tool}: up to date, nothing to apply`
      : `${tool}: applied ${applied.length} migration(s): ${applied.join(", ")}`;
  return { ...result, ok: true, summary };
}

function migrateFailed(base: Omit<DbDeployReport, "ok" | "summary">, driver: MigrationDriver, migrate: CommandResult, stillPending: string[]): DbDeployReport {
  const message = driver.failureMessage ? driver.failureMessage(migrate) : toolMessage(migrate);
  const kind = classifyFailure(message);
  const what = kind === "checksum-mismatch" ? "checksum mismatch" : kind === "history-mismatch" ? "migration history mismatch" : "migration failed";
  const first = stillPending[0];
  const at = kind === "migration-failed" && first ? ` at ${first}` : "";
  return failed({ ...base, pendingAfter: stillPending }, kind, message, `${base.tool}: ${what}${at}: ${message.split("\n").pop()}`);
}

function failed(
  base: Omit<DbDeployReport, "ok" | "summary">,
  kind: NonNullable<DbDeployReport["failure"]>["kind"],
  message: string,
  summary: string,
): DbDeployReport {
  return { ...base, ok: false, failure: { kind, message }, summary };
}

function messageOf(err: unknown): string {
  if (err instanceof MigrationToolError) return err.toolMessage;
  return errorMessage(err);
}

/** The report as Markdown, for the reports directory. */
export function formatDbDeployReport(report: DbDeployReport): string {
  const list = (items: string[]) => (items.length === 0 ? "- (none)" : items.map((i) => `- ${i}`).join("\n"));
  const lines = [
    `# DB deploy (${report.tool}): ${report.ok ? "succeeded" : "FAILED"}`,
    "",
    report.summary,
    "",
    "## Pending before",
    list(report.pendingBefore),
    "",
    "## Applied",
    list(report.applied),
    "",
    "## Pending after",
    list(report.pendingAfter),
  ];
  if (report.failure) lines.push("", `## Failure: ${report.failure.kind}`, "", "```", report.failure.message, "```");
  return lines.join("\n") + "\n";
}
