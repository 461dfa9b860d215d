import type { Canary, CanaryRun, SyntheticsClient } from "@aws-sdk/client-synthetics";
import { systemClock, type Clock } from "./clock.js";
import { loadDryRunCommands, type DryRunCommands } from "./dry-run.js";
import { loadSyntheticsSdk, type SyntheticsSdk } from "./sdk.js";
import type { CanaryCode } from "./package.js";
import { listRuntimeVersions, pickRuntimeVersion, type RuntimeFamily } from "./runtime.js";
import { errorMessage, errorText } from "../../errors.js";

/** Everything needed to create or update one canary. */
export interface CanarySpec {
  name: string;
  code: CanaryCode;
  runtimeFamily: RuntimeFamily;
  /** A pinned runtime version; refused when deprecated. */
  runtimeVersion?: string;
  /** Schedule expression, e.g. `rate(5 minutes)`: the canary keeps running on it afterwards. */
  schedule: string;
  executionRoleArn: string;
  /** `s3://bucket/prefix` for run artifacts. */
  artifactS3Location: string;
  /** Environment variables for the script, e.g. the endpoint under test. No secrets: they are stored in the canary's config. */
  environment: Record<string, string>;
  /** Lambda timeout of one run. */
  runTimeoutSeconds: number;
}

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

export interface CanaryReport {
  name: string;
  runtimeVersion: string;
  action: "created" | "updated";
  dryRun?: { id: string; run: CanaryRunSummary };
  run: CanaryRunSummary;
  /** One line per step, in order, for the release summary. */
  steps: string[];
  passed: boolean;
}

/** A canary step failed; `steps` holds what was done up to the failure. */
export class CanaryError extends Error {
  constructor(
    message: string,
    readonly steps: string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "CanaryError";
  }
}

function errorName(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "name" in e ? String((e as { name: unknown }).name) : undefined;
}

/**
 * Creates or updates the canary, starts it, waits for a run newer than the start and evaluates it.
 * An existing canary gets the new code through a dry run first: a failing dry run leaves the running
 * canary untouched. The canary keeps running on its schedule afterwards.
 */
export async function deployAndRunCanary(
  client: SyntheticsClient,
  spec: CanarySpec,
  options: { clock?: Clock; timings?: Partial<CanaryTimings> } = {},
): Promise<CanaryReport> {
  const steps: string[] = [];
  try {
    return await deployAndRun(client, spec, options, steps);
  } catch (e) {
    if (e instanceof CanaryError) throw e;
    // AWS errors (AccessDenied, ValidationException, ...) keep their name and message, with the canary's name.
    const text = errorText(e);
    steps.push(`failed: ${text}`);
    throw new CanaryError(`canary ${spec.name}: ${text}`, steps, { cause: e });
  }
}

async function deployAndRun(
  client: SyntheticsClient,
  spec: CanarySpec,
  options: { clock?: Clock; timings?: Partial<CanaryTimings> },
  steps: string[],
): Promise<CanaryReport> {
  const clock = options.clock ?? systemClock;
  const t = { ...defaultCanaryTimings, ...options.timings };
  const sdk = await loadSyntheticsSdk();
  const dry = await loadDryRunCommands();
  const { CreateCanaryCommand, DescribeCanariesCommand, StartCanaryCommand } = sdk;
  const { PromoteDryRunCommand, StartCanaryDryRunCommand } = dry;
  const api: Api = { client, sdk, dry };
  const fail = (message: string): never => {
    steps.push(`failed: ${message}`);
    throw new CanaryError(`canary ${spec.name}: ${message}`, steps);
  };

  const runtimeVersion = pickRuntimeVersion(await listRuntimeVersions(client), spec.runtimeFamily, new Date(clock.now()), spec.runtimeVersion);
  steps.push(`runtime ${runtimeVersion}`);
  const runConfig = { TimeoutInSeconds: spec.runTimeoutSeconds, EnvironmentVariables: spec.environment };
  const code = { ZipFile: spec.code.zipFile, Handler: spec.code.handler };

  const existing = (await client.send(new DescribeCanariesCommand({ Names: [spec.name] }))).Canaries?.find((c) => c.Name === spec.name);
  let action: CanaryReport["action"];
  let dryRun: CanaryReport["dryRun"];
  if (!existing) {
    await client.send(
      new CreateCanaryCommand({
        Name: spec.name,
        Code: code,
        RuntimeVersion: runtimeVersion,
        ExecutionRoleArn: spec.executionRoleArn,
        ArtifactS3Location: spec.artifactS3Location,
        Schedule: { Expression: spec.schedule },
        RunConfig: runConfig,
      }),
    );
    action = "created";
    steps.push("created");
    await waitForState(api, spec.name, ["READY", "RUNNING", "STOPPED"], clock, t, fail);
  } else {
    action = "updated";
    await waitForState(api, spec.name, ["READY", "RUNNING", "STOPPED"], clock, t, fail);
    const dryStartedAt = clock.now();
    const started = await withConflictRetry(
      () =>
        client.send(
          new StartCanaryDryRunCommand({
            Name: spec.name,
            Code: code,
            RuntimeVersion: runtimeVersion,
            RunConfig: runConfig,
            ExecutionRoleArn: spec.executionRoleArn,
            ArtifactS3Location: spec.artifactS3Location,
          }),
        ) as unknown as Promise<{ DryRunConfig: { DryRunId: string } }>,
      clock,
      t,
      steps,
      "StartCanaryDryRun",
    );
    const dryRunId = started.DryRunConfig.DryRunId;
    steps.push(`dry run ${dryRunId} started`);
    const dryRunRun = await waitForFinishedRun(api, spec.name, dryStartedAt, clock, t, fail, dryRunId);
    dryRun = { id: dryRunId, run: dryRunRun };
    if (dryRunRun.state !== "PASSED") {
      fail(`the dry run of the new code failed (${describeRun(dryRunRun)}); the running canary keeps its previous code`);
    }
    steps.push("dry run passed");
    await withConflictRetry(
      () => client.send(new PromoteDryRunCommand({ Name: spec.name, DryRunId: dryRunId, ScheduleExpression: spec.schedule })),
      clock,
      t,
      steps,
      "UpdateCanary",
    );
    steps.push("updated from the dry run");
    await waitForState(api, spec.name, ["READY", "RUNNING", "STOPPED"], clock, t, fail);
  }

  const current = await getCanary(api, spec.name);
  const startedAt = clock.now();
  if (current.Status?.State === "RUNNING") {
    steps.push("already running on its schedule: waiting for its next run");
  } else {
    await withConflictRetry(() => client.send(new StartCanaryCommand({ Name: spec.name })), clock, t, steps, "StartCanary");
    steps.push("started");
    await waitForState(api, spec.name, ["RUNNING"], clock, t, fail);
  }
  const run = await waitForFinishedRun(api, spec.name, startedAt, clock, t, fail);
  steps.push(`run ${run.id ?? "?"}: ${run.state}`);
  return { name: spec.name, runtimeVersion, action, dryRun, run, steps, passed: run.state === "PASSED" };
}

/** The client with the lazily loaded SDK and dry-run commands. */
interface Api {
  client: SyntheticsClient;
  sdk: SyntheticsSdk;
  dry: DryRunCommands;
}

async function getCanary({ client, sdk }: Api, name: string): Promise<Canary> {
  const canary = (await client.send(new sdk.GetCanaryCommand({ Name: name }))).Canary;
  if (!canary) throw new Error(`GetCanary ${name} answered without a Canary`);
  return canary;
}

type Fail = (message: string) => never;

async function waitForState(
  api: Api,
  name: string,
  wanted: readonly string[],
  clock: Clock,
  t: CanaryTimings,
  fail: Fail,
): Promise<void> {
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

async function waitForFinishedRun(
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

async function withConflictRetry<T>(call: () => Promise<T>, clock: Clock, t: CanaryTimings, steps: string[], what: string): Promise<T> {
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
