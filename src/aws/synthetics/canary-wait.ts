// Waiting on a canary: its state, its next finished run, and StartCanary/UpdateCanary calls that
// meet a ConflictException while another change is still settling. All bounded by CanaryTimings.
import type { Canary, CanaryRun, SyntheticsClient } from "@aws-sdk/client-synthetics";
import type { Clock } from "./clock.js";
import type { DryRunCommands } from "./dry-run.js";
import type { SyntheticsSdk } from "./sdk.js";
import { errorMessage } from "../../errors.js";

export interface CanaryTimings {
  pollMs: number;
  /** Bound on waiting for READY/RUNNING after create, update or start. */
  stateTimeoutMs: number;
  /** Bound on waiting for a finished run (and for a dry run). */
  runTimeoutMs: number;
  /** Attempts for a StartCanary/UpdateCanary that meets a ConflictException. */
  conflictAttempts: number;
  conflictBackoffMs: number;
}

export const defaultCanaryTimings: CanaryTimings = {
  pollMs: 5_000,
  stateTimeoutMs: 5 * 60_000,
  runTimeoutMs: 10 * 60_000,
  conflictAttempts: 6,
  conflictBackoffMs: 10_000,
};

export interface CanaryRunSummary {
  id?: string;
  state: "PASSED" | "FAILED";
  reason?: string;
  reasonCode?: string;
  startedAt?: string;
  completedAt?: string;
  artifacts?: string;
}

/** The client with the lazily loaded SDK and dry-run commands. */
export interface Api {
  client: SyntheticsClient;
  sdk: SyntheticsSdk;
  dry: DryRunCommands;
}

export async function getCanary({ client, sdk }: Api, name: string): Promise<Canary> {
  const canary = (await client.send(new sdk.GetCanaryCommand({ Name: name }))).Canary;
  if (!canary) throw new Error(`GetCanary ${name} answered without a Canary`);
  return canary;
}

export type Fail = (message: string) => never;

export async function waitForState(api: Api, name: string, wanted: readonly string[], clock: Clock, t: CanaryTimings, fail: Fail): Promise<void> {
  const deadline = clock.now() + t.stateTimeoutMs;
  for (;;) {
    const status = (await getCanary(api, name)).Status;
    const state = status?.State ?? "UNKNOWN";
    if (wanted.includes(state)) return;
    if (state === "ERROR") {
      fail(
        `the canary is in ERROR (${status?.StateReasonCode ?? "no reason code"}): ${status?.StateReason ?? "no reason given"}. ` +
          "Check the execution role (it must allow Lambda, S3 artifacts and CloudWatch), the artifact bucket and the code package.",
      );
    }
    // STOPPING is transitional (someone stopped the canary): it is waited for like CREATING.
    if (state === "DELETING" || (state === "STOPPED" && !wanted.includes("STOPPED"))) {
      fail(`the canary went to ${state} while waiting for ${wanted.join("/")}`);
    }
    if (clock.now() >= deadline) {
      fail(`still ${state} after ${Math.round(t.stateTimeoutMs / 1000)} s waiting for ${wanted.join("/")}; nothing was changed further`);
    }
    await clock.sleep(t.pollMs);
  }
}

function summarise(run: CanaryRun): CanaryRunSummary {
  return {
    id: run.Id,
    state: run.Status?.State === "PASSED" ? "PASSED" : "FAILED",
    reason: run.Status?.StateReason || undefined,
    reasonCode: run.Status?.StateReasonCode || undefined,
    startedAt: run.Timeline?.Started?.toISOString(),
    completedAt: run.Timeline?.Completed?.toISOString(),
    artifacts: run.ArtifactS3Location,
  };
}

export function describeRun(run: CanaryRunSummary): string {
  return [run.state, run.reasonCode, run.reason].filter((s) => s).join(": ");
}

export async function waitForFinishedRun(
  { client, sdk, dry }: Api,
  name: string,
  notBefore: number,
  clock: Clock,
  t: CanaryTimings,
  fail: Fail,
  dryRunId?: string,
): Promise<CanaryRunSummary> {
  const deadline = clock.now() + t.runTimeoutMs;
  // AWS and this machine disagree a little on the time: accept runs that started up to 5 s "before" the start.
  const since = notBefore - 5_000;
  for (;;) {
    const page = await client.send(
      dryRunId ? new dry.GetDryRunRunsCommand({ Name: name, DryRunId: dryRunId, MaxResults: 10 }) : new sdk.GetCanaryRunsCommand({ Name: name, MaxResults: 10 }),
    );
    const runs = (page.CanaryRuns ?? [])
      .filter((r) => (r.Timeline?.Started?.getTime() ?? 0) >= since)
      .sort((a, b) => (b.Timeline?.Started?.getTime() ?? 0) - (a.Timeline?.Started?.getTime() ?? 0));
    const finished = runs.find((r) => r.Status?.State === "PASSED" || r.Status?.State === "FAILED");
    if (finished) return summarise(finished);
    if (clock.now() >= deadline) {
      const what = dryRunId ? `dry run ${dryRunId}` : "run";
      fail(`no finished ${what} newer than the start after ${Math.round(t.runTimeoutMs / 1000)} s (${runs.length} still running)`);
    }
    await clock.sleep(t.pollMs);
  }
}

function errorName(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "name" in e ? String((e as { name: unknown }).name) : undefined;
}

export async function withConflictRetry<T>(call: () => Promise<T>, clock: Clock, t: CanaryTimings, steps: string[], what: string): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (errorName(e) !== "ConflictException") throw e;
      if (attempt >= t.conflictAttempts) {
        throw new Error(`${what} still met a ConflictException after ${attempt} attempts: ${errorMessage(e)}`, { cause: e });
      }
      steps.push(`${what}: ConflictException (attempt ${attempt}), retrying in ${Math.round(t.conflictBackoffMs / 1000)} s`);
      await clock.sleep(t.conflictBackoffMs);
    }
  }
}
