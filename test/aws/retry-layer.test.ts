// Level 3 (real SDK clients over a fake HTTP handler, no network): each AWS call has one retry
// layer, and a throttled call is tried at most the documented number of times (docs/aws-retries.md).
// CloudFormation retries in the SDK (sdkRetrying: SDK_MAX_ATTEMPTS), and describeStack adds no loop;
// ECR retries in callAws (RETRY_MAX_ATTEMPTS) over a client that makes one attempt per send.
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { describeStack } from "../../src/aws/cloudformation/stack.js";
import { ecrCall, ecrRegistry } from "../../src/aws/ecr/client.js";
import { RETRY_MAX_ATTEMPTS } from "../../src/aws/retry.js";
import { SDK_MAX_ATTEMPTS, sdkRetrying, sdkSingleAttempt } from "../../src/aws/sdk.js";
import type { AwsIdentity } from "../../src/aws/credentials/providers.js";

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example-secret-not-real" };

/** An HTTP handler that answers every request with a throttling error and counts the requests. */
function throttlingHandler(body: (contentType: string) => { type: string; text: string }) {
  const seen = { requests: 0 };
  const handler = {
    handle: async (request: { headers: Record<string, string> }) => {
      seen.requests++;
      const answer = body(request.headers["content-type"] ?? "");
      return {
        response: {
          statusCode: 400,
          headers: { "content-type": answer.type, "x-amzn-errortype": "ThrottlingException", "x-amzn-query-error": "Throttling;Sender" },
          body: Readable.from([Buffer.from(answer.text)]),
        },
      };
    },
  };
  return { handler, seen };
}

const queryOrJson = (contentType: string) =>
  contentType.includes("json")
    ? { type: "application/x-amz-json-1.0", text: JSON.stringify({ __type: "ThrottlingException", message: "Rate exceeded" }) }
    : {
        type: "text/xml",
        text: "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-1</RequestId></ErrorResponse>",
      };

describe("one retry layer per AWS call", () => {
  it("the documented maxima", () => {
    expect(SDK_MAX_ATTEMPTS).toBe(5);
    expect(RETRY_MAX_ATTEMPTS).toBe(5);
    expect(sdkSingleAttempt().maxAttempts).toBe(1);
  });

  it(`a throttled DescribeStacks is sent at most ${SDK_MAX_ATTEMPTS} times (the SDK's retry only)`, async () => {
    const { handler, seen } = throttlingHandler(queryOrJson);
    // The SDK's standard backoff for throttling runs for real (about 5 s for four retries).
    const client = new CloudFormationClient({ region: "eu-west-1", credentials, ...sdkRetrying(), requestHandler: handler as never });
    const err = (await describeStack(client, "fruit-api-gamma").catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/DescribeStacks fruit-api-gamma failed: Throttling/);
    expect(seen.requests).toBe(SDK_MAX_ATTEMPTS);
  }, 60_000);

  it(`a throttled ECR call is sent at most ${RETRY_MAX_ATTEMPTS} times (callAws only, the SDK makes one attempt)`, async () => {
    const { handler, seen } = throttlingHandler(() => ({
      type: "application/x-amz-json-1.1",
      text: JSON.stringify({ __type: "ThrottlingException", message: "Rate exceeded" }),
    }));
    const { ECRClient, DescribeRepositoriesCommand } = await import("@aws-sdk/client-ecr");
    const identity = { principal: "arn:aws:iam::111111111111:role/dpra-publish", credentials } as unknown as AwsIdentity;
    const registry = ecrRegistry(identity, "111111111111", "eu-west-1", { sleep: async () => {} });
    const client = new ECRClient({ region: "eu-west-1", credentials, ...sdkSingleAttempt(), requestHandler: handler as never });
    const err = (await ecrCall(registry, "DescribeRepositories", "fruit-api", () => client.send(new DescribeRepositoriesCommand({}))).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/ThrottlingException: ecr:DescribeRepositories on fruit-api kept failing after retries/);
    expect(seen.requests).toBe(RETRY_MAX_ATTEMPTS);
  });
});
