/**
 * The Synthetics dry-run operations (StartCanaryDryRun, GetCanaryRuns with DryRunId, UpdateCanary
 * with DryRunId) were added to the API in 2025; the newest `@aws-sdk/client-synthetics` the project's
 * registry offers (3.669) predates them. These commands reuse the SDK's own UpdateCanary and
 * GetCanaryRuns commands (signing, endpoint, retries, error types) and only adjust the HTTP request
 * to the documented shapes:
 * - StartCanaryDryRun: `POST /canary/{Name}/dry-run/start`, answer `{"DryRunConfig":{"DryRunId","LastDryRunExecutionStatus"}}`
 * - GetCanaryRuns: `POST /canary/{Name}/runs` with `DryRunId` and `RunType: "DRY_RUN"` in the body
 * - UpdateCanary: `PATCH /canary/{Name}` with only `DryRunId` (and optionally `Schedule`) in the body
 * When the SDK gains these operations, these classes can be replaced by the SDK's own.
 */
import type { CanaryCodeInput, CanaryRunConfigInput, GetCanaryRunsCommandOutput } from "@aws-sdk/client-synthetics";
import { z } from "zod";
import { loadSyntheticsSdk, type SyntheticsSdk } from "./sdk.js";

interface WireRequest {
  method: string;
  path: string;
  body?: unknown;
}
interface WireResponse {
  statusCode: number;
  body: unknown;
}
interface SerdeContextLike {
  streamCollector(body: unknown): Promise<Uint8Array>;
  utf8Encoder(bytes: Uint8Array): string;
}
type Serializer = (input: unknown, context: unknown) => Promise<WireRequest>;
type Deserializer = (output: WireResponse, context: SerdeContextLike) => Promise<unknown>;
interface SerdeHooks {
  serialize: Serializer;
  deserialize: Deserializer;
}

function hooks(command: object): SerdeHooks {
  return command as unknown as SerdeHooks;
}

function patchJsonBody(request: WireRequest, patch: (body: Record<string, unknown>) => Record<string, unknown>): void {
  const body = typeof request.body === "string" && request.body.length > 0 ? (JSON.parse(request.body) as Record<string, unknown>) : {};
  request.body = JSON.stringify(patch(body));
}

export interface StartCanaryDryRunInput {
  Name: string;
  Code?: CanaryCodeInput;
  RuntimeVersion?: string;
  RunConfig?: CanaryRunConfigInput;
  ExecutionRoleArn?: string;
  ArtifactS3Location?: string;
}

const StartCanaryDryRunAnswer = z.object({
  DryRunConfig: z.object({
    DryRunId: z.string().min(1),
    LastDryRunExecutionStatus: z.string().optional(),
  }),
});
export type StartCanaryDryRunOutput = z.infer<typeof StartCanaryDryRunAnswer>;

export type GetDryRunRunsOutput = GetCanaryRunsCommandOutput;

function makeDryRunCommands({ UpdateCanaryCommand, GetCanaryRunsCommand }: SyntheticsSdk) {
  /** StartCanaryDryRun: tries new code/runtime/config on an existing canary without replacing it. */
  class StartCanaryDryRunCommand extends UpdateCanaryCommand {
    constructor(input: StartCanaryDryRunInput) {
      super(input);
      const h = hooks(this);
      const [serialize, deserialize] = [h.serialize, h.deserialize];
      h.serialize = async (i, context) => {
        const request = await serialize(i, context);
        request.method = "POST";
        request.path = `${request.path.replace(/\/$/, "")}/dry-run/start`;
        return request;
      };
      h.deserialize = async (output, context) => {
        // Errors keep the SDK's typed exceptions (ConflictException, ValidationException, ...).
        if (output.statusCode >= 300) return deserialize(output, context);
        const text = context.utf8Encoder(await context.streamCollector(output.body));
        const parsed = StartCanaryDryRunAnswer.safeParse(text ? JSON.parse(text) : {});
        if (!parsed.success) {
          throw new Error(`StartCanaryDryRun answered without DryRunConfig.DryRunId: ${parsed.error.issues[0]?.message ?? ""}`);
        }
        return { $metadata: { httpStatusCode: output.statusCode }, ...parsed.data };
      };
    }
  }

  /** GetCanaryRuns limited to the runs of one dry run. */
  class GetDryRunRunsCommand extends GetCanaryRunsCommand {
    constructor(input: { Name: string; DryRunId: string; MaxResults?: number; NextToken?: string }) {
      // The whole input is kept on the command (the SDK's serializer ignores unknown fields) so that
      // it shows in logs and test doubles; the serializer below adds the fields to the wire body.
      super(input as ConstructorParameters<typeof GetCanaryRunsCommand>[0]);
      const h = hooks(this);
      const serialize = h.serialize;
      h.serialize = async (i, context) => {
        const request = await serialize(i, context);
        patchJsonBody(request, (body) => ({ ...body, DryRunId: input.DryRunId, RunType: "DRY_RUN" }));
        return request;
      };
    }
  }

  /** UpdateCanary with DryRunId: makes the dry run's configuration the canary's own. */
  class PromoteDryRunCommand extends UpdateCanaryCommand {
    constructor(input: { Name: string; DryRunId: string; ScheduleExpression?: string }) {
      super(input as ConstructorParameters<typeof UpdateCanaryCommand>[0]);
      const h = hooks(this);
      const serialize = h.serialize;
      h.serialize = async (i, context) => {
        const request = await serialize(i, context);
        // The API refuses any other field next to DryRunId except Schedule.
        request.body = JSON.stringify({
          DryRunId: input.DryRunId,
          ...(input.ScheduleExpression ? { Schedule: { Expression: input.ScheduleExpression } } : {}),
        });
        return request;
      };
    }
  }

  return { StartCanaryDryRunCommand, GetDryRunRunsCommand, PromoteDryRunCommand };
}

export type DryRunCommands = ReturnType<typeof makeDryRunCommands>;

let commands: Promise<DryRunCommands> | undefined;

/** The dry-run command classes, built on the lazily loaded SDK (one set per process, so test doubles can match them). */
export function loadDryRunCommands(): Promise<DryRunCommands> {
  commands ??= loadSyntheticsSdk().then(makeDryRunCommands);
  return commands;
}
