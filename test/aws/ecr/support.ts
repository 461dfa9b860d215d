// Shared test setup for ECR logic: real SDK v3 clients, transport mocked by aws-sdk-client-mock.
import { ECRClient } from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { ecrRegistry, type Registry } from "../../../src/aws/ecr/client.js";

export const ACCOUNT = "111111111111";
export const GAMMA = "222222222222";
export const PROD = "333333333333";
export const REGION = "eu-west-1";
export const ARTIFACT_ROLE = `arn:aws:iam::${ACCOUNT}:role/dpra-artifact`;
export const GAMMA_ROLE = `arn:aws:iam::${GAMMA}:role/dpra-gamma`;

/** Digests made for tests: clearly fake, correctly shaped. */
export const DIGEST_A = `sha256:${"a".repeat(64)}`;
export const DIGEST_B = `sha256:${"b".repeat(64)}`;

export const noSleep = async (): Promise<void> => {};

export function ecrMock() {
  return mockClient(ECRClient);
}

/** A registry whose calls are attributed to `role` in messages; retries without real delays. */
export function registry(accountId = ACCOUNT, region = REGION, role = ARTIFACT_ROLE, sleeps: number[] = []): Registry {
  return ecrRegistry(
    { credentials: async () => ({ accessKeyId: "AKIDTESTONLY", secretAccessKey: "test-secret" }), principal: `role ${role}` },
    accountId,
    region,
    { sleep: async (ms) => void sleeps.push(ms), random: () => 1 },
  );
}

/** An AWS error as the SDK raises it (name = error code, $metadata with the HTTP status). */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: httpStatusCode >= 500 ? "server" : "client", $metadata: { httpStatusCode, requestId: "req-1" } });
}
