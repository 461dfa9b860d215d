import { ConflictException, GetCanaryRunsCommand, SyntheticsClient } from "@aws-sdk/client-synthetics";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { loadDryRunCommands } from "../../../src/aws/synthetics/dry-run.js";
import { cliExampleRuns } from "../../support/synthetics.js";

const { GetDryRunRunsCommand, PromoteDryRunCommand, StartCanaryDryRunCommand } = await loadDryRunCommands();

interface Sent {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

/** A real SyntheticsClient whose HTTP handler records the request and answers with a canned response. */
function recordingClient(status: number, answer: unknown, headers: Record<string, string> = {}) {
  const sent: Sent[] = [];
  const client = new SyntheticsClient({
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example-secret-not-real" },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { method: string; path: string; body?: unknown }) => {
        sent.push({ method: request.method, path: request.path, body: JSON.parse(String(request.body ?? "{}")) as Record<string, unknown> });
        return {
          response: {
            statusCode: status,
            headers: { "content-type": "application/json", ...headers },
            body: Readable.from([Buffer.from(JSON.stringify(answer))]),
          },
        };
      },
    } as never,
  });
  return { client, sent };
}

describe("dry-run commands on the wire", () => {
  it("StartCanaryDryRun POSTs to /canary/{name}/dry-run/start and reads DryRunConfig.DryRunId", async () => {
    const { client, sent } = recordingClient(200, { DryRunConfig: { DryRunId: "1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901", LastDryRunExecutionStatus: "RUNNING" } });
    const out = await client.send(
      new StartCanaryDryRunCommand({
        Name: "fruit_smoke",
        Code: { Handler: "canary.handler", ZipFile: new Uint8Array([80, 75]) },
        RuntimeVersion: "syn-nodejs-playwright-2.0",
        RunConfig: { EnvironmentVariables: { TARGET_URL: "https://x" } },
      }),
    );
    expect(out).toMatchObject({ DryRunConfig: { DryRunId: "1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901" } });
    expect(sent[0]).toMatchObject({ method: "POST", path: "/canary/fruit_smoke/dry-run/start" });
    expect(sent[0]?.body).toEqual({
      Code: { Handler: "canary.handler", ZipFile: "UEs=" },
      RuntimeVersion: "syn-nodejs-playwright-2.0",
      RunConfig: { EnvironmentVariables: { TARGET_URL: "https://x" } },
    });
  });

  it("StartCanaryDryRun keeps the SDK's typed errors", async () => {
    const { client } = recordingClient(409, { message: "Canary is updating" }, { "x-amzn-errortype": "ConflictException" });
    await expect(client.send(new StartCanaryDryRunCommand({ Name: "fruit_smoke" }))).rejects.toBeInstanceOf(ConflictException);
  });

  it("StartCanaryDryRun fails clearly on an answer without a DryRunId", async () => {
    const { client } = recordingClient(200, {});
    await expect(client.send(new StartCanaryDryRunCommand({ Name: "fruit_smoke" }))).rejects.toThrow(/without DryRunConfig.DryRunId/);
  });

  it("GetCanaryRuns for a dry run sends DryRunId and RunType DRY_RUN and parses the runs", async () => {
    const { client, sent } = recordingClient(200, {
      CanaryRuns: [{ Id: "r1", Name: "fruit_smoke", Status: { State: "PASSED" }, Timeline: { Started: 1760000000.5 } }],
    });
    const out = await client.send(new GetDryRunRunsCommand({ Name: "fruit_smoke", DryRunId: "d-1", MaxResults: 10 }));
    expect(sent[0]).toMatchObject({ method: "POST", path: "/canary/fruit_smoke/runs" });
    expect(sent[0]?.body).toEqual({ MaxResults: 10, DryRunId: "d-1", RunType: "DRY_RUN" });
    expect(out.CanaryRuns?.[0]?.Timeline?.Started).toEqual(new Date(1760000000500));
  });

  it("plain GetCanaryRuns is unchanged", async () => {
    const { client, sent } = recordingClient(200, { CanaryRuns: [] });
    await client.send(new GetCanaryRunsCommand({ Name: "fruit_smoke", MaxResults: 5 }));
    expect(sent[0]?.body).toEqual({ MaxResults: 5 });
  });

  it("promoting a dry run PATCHes the canary with only DryRunId and Schedule", async () => {
    const { client, sent } = recordingClient(200, {});
    await client.send(new PromoteDryRunCommand({ Name: "fruit_smoke", DryRunId: "d-1", ScheduleExpression: "rate(5 minutes)" }));
    expect(sent[0]).toMatchObject({ method: "PATCH", path: "/canary/fruit_smoke" });
    expect(sent[0]?.body).toEqual({ DryRunId: "d-1", Schedule: { Expression: "rate(5 minutes)" } });
  });
});

describe("fixture shapes", () => {
  it("the AWS CLI example run converts to the SDK shape (ISO timestamps with offset)", () => {
    const run = cliExampleRuns()[0];
    expect(run?.Status?.State).toBe("PASSED");
    expect(run?.Timeline?.Started?.toISOString()).toBe("2024-10-16T05:08:57.013Z");
  });
});
