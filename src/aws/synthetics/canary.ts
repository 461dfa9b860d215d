// Creating or updating one canary and judging its run; the waiting (state, runs, conflicts) is in
// canary-wait.ts.
import type { SyntheticsClient } from "@aws-sdk/client-synthetics";
import {
  defaultCanaryTimings,
  describeRun,
  getCanary,
  waitForFinishedRun,
  waitForState,
  withConflictRetry,
  type Api,
  type CanaryRunSummary,
  type CanaryTimings,
} from "./canary-wait.js";
import { systemClock, type Clock } from "./clock.js";
import { loadDryRunCommands } from "./dry-run.js";
import { loadSyntheticsSdk } from "./sdk.js";
import type { CanaryCode } from "./package.js";
import { listRuntimeVersions, pickRuntimeVersion, type RuntimeFamily } from "./runtime.js";
import { errorText } from "../../errors.js";

// Callers keep importing the timings, the run summary and its wording from here.
export { defaultCanaryTimings, describeRun, type CanaryRunSummary, type CanaryTimings } from "./canary-wait.js";

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

/**
 * Creates or updates the canary, starts it, waits for a run newer than the start and evaluates it.
 * An existing canary gets the new code through a dry run first: a failing dry run leaves the running
 * canary untouched. The canary keeps running on its schedule afterwards.
 */
export async function deployAndRunCanary(client: SyntheticsClient, spec: CanarySpec, options: { clock?: Clock; timings?: Partial<CanaryTimings> } = {}): Promise<CanaryReport> {
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

async function deployAndRun(client: SyntheticsClient, spec: CanarySpec, options: { clock?: Clock; timings?: Partial<CanaryTimings> }, steps: string[]): Promise<CanaryReport> {
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
