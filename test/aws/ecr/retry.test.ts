import { DescribeRepositoriesCommand, PutImageCommand } from "@aws-sdk/client-ecr";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ecrCall } from "../../../src/aws/ecr/client.js";
import { AwsActionError, backoffDelay, explainAwsError, isRetryable, redactCredentials, withRetry } from "../../../src/aws/retry.js";
import { ARTIFACT_ROLE, awsError, ecrMock, registry } from "../../support/ecr-stubs.js";

let ecr: ReturnType<typeof ecrMock>;
beforeEach(() => (ecr = ecrMock()));
afterEach(() => ecr.restore());

describe("retry", () => {
  it("retries ThrottlingException with growing backoff, then succeeds", async () => {
    ecr
      .on(DescribeRepositoriesCommand)
      .rejectsOnce(awsError("ThrottlingException", "Rate exceeded"))
      .rejectsOnce(awsError("ThrottlingException", "Rate exceeded"))
      .resolves({ repositories: [{ repositoryName: "fruit-api" }] });
    const sleeps: number[] = [];
    const reg = registry(undefined, undefined, undefined, sleeps);
    const out = await ecrCall(reg, "DescribeRepositories", "fruit-api", () => reg.client.send(new DescribeRepositoriesCommand({})));
    expect(out.repositories?.[0]?.repositoryName).toBe("fruit-api");
    expect(ecr.commandCalls(DescribeRepositoriesCommand)).toHaveLength(3);
    expect(sleeps).toEqual([250, 500]);
  });

  it("gives up after the attempt limit and says the call kept being throttled", async () => {
    ecr.on(DescribeRepositoriesCommand).rejects(awsError("ThrottlingException", "Rate exceeded"));
    const reg = registry();
    const err = await ecrCall(reg, "DescribeRepositories", "fruit-api", () => reg.client.send(new DescribeRepositoriesCommand({}))).catch((e) => e);
    expect(ecr.commandCalls(DescribeRepositoriesCommand)).toHaveLength(5);
    expect(err).toBeInstanceOf(AwsActionError);
    expect(err.message).toMatch(/^ThrottlingException: ecr:DescribeRepositories on fruit-api kept failing after retries/);
  });

  it("does not retry AccessDenied, and names the role and the action", async () => {
    ecr
      .on(PutImageCommand)
      .rejects(
        awsError(
          "AccessDeniedException",
          `User: arn:aws:sts::111111111111:assumed-role/dpra-artifact/dpra-fruit-api-artifact-r1 is not authorized to perform: ecr:PutImage on resource: arn:aws:ecr:eu-west-1:111111111111:repository/fruit-api`,
        ),
      );
    const reg = registry();
    const err = await ecrCall(reg, "PutImage", "fruit-api", () => reg.client.send(new PutImageCommand({ repositoryName: "fruit-api", imageManifest: "{}" }))).catch((e) => e);
    expect(ecr.commandCalls(PutImageCommand)).toHaveLength(1);
    expect(err.message).toMatch(
      new RegExp(`^AccessDeniedException: role ${ARTIFACT_ROLE} may not call ecr:PutImage on fruit-api\\. Add ecr:PutImage to that role's policy \\(see docs/iam.md`),
    );
    expect(err.message).toContain("is not authorized to perform: ecr:PutImage");
    expect(err.context).toEqual({ role: `role ${ARTIFACT_ROLE}`, action: "ecr:PutImage", resource: "fruit-api" });
  });

  it("classifies errors", () => {
    expect(isRetryable(awsError("ThrottlingException", "x"))).toBe(true);
    expect(isRetryable(awsError("ServerException", "x", 500))).toBe(true);
    expect(isRetryable(awsError("SomethingNew", "x", 503))).toBe(true);
    expect(isRetryable(Object.assign(new Error("socket"), { code: "ECONNRESET" }))).toBe(true);
    expect(isRetryable(awsError("AccessDeniedException", "x", 403))).toBe(false);
    expect(isRetryable(awsError("RepositoryNotFoundException", "x"))).toBe(false);
    expect(isRetryable("string")).toBe(false);
  });

  it("backs off exponentially with full jitter and a cap", () => {
    expect([0, 1, 2, 10].map((a) => backoffDelay(a, { random: () => 1 }))).toEqual([250, 500, 1000, 8000]);
    expect(backoffDelay(3, { random: () => 0 })).toBe(0);
  });

  it("withRetry propagates a non-retryable error at once", async () => {
    let calls = 0;
    const err = await withRetry(async () => {
      calls++;
      throw awsError("ValidationException", "bad");
    }).catch((e) => e);
    expect(calls).toBe(1);
    expect(err.name).toBe("ValidationException");
  });
});

describe("explainAwsError", () => {
  it("explains an expired token", () => {
    const err = explainAwsError(awsError("ExpiredTokenException", "The security token included in the request is expired"), {
      role: "role arn:aws:iam::1:role/x",
      action: "ecr:DescribeImages",
    });
    expect(err.message).toMatch(/^ExpiredTokenException: the credentials of role arn:aws:iam::1:role\/x expired before ecr:DescribeImages\. Pass fresh credentials/);
  });

  it("names a bare role ARN as a role", () => {
    const err = explainAwsError(awsError("AccessDenied", "denied", 403), { role: "arn:aws:iam::1:role/x", action: "cloudformation:CreateChangeSet", resource: "stack" });
    expect(err.message).toMatch(/^AccessDenied: role arn:aws:iam::1:role\/x may not call cloudformation:CreateChangeSet on stack\./);
  });

  it("never repeats a credential that appears in an AWS message", () => {
    const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const err = explainAwsError(awsError("InvalidSignatureException", `signature for AKIAIOSFODNN7EXAMPLE with ${secret} does not match`, 403), {
      role: "the caller's access keys",
      action: "ecr:GetAuthorizationToken",
    });
    expect(err.message).not.toContain(secret);
    expect(err.message).not.toContain("AKIAIOSFODNN7EXAMPLE");
    expect(err.message).toContain("the caller's access keys may not call ecr:GetAuthorizationToken");
  });

  it("keeps digests and ARNs readable when redacting", () => {
    const digest = `sha256:${"0123456789abcdef".repeat(4)}`;
    const arn = "arn:aws:iam::123456789012:role/service-role/DpraArtifactPublisherRoleForProduction";
    expect(redactCredentials(`${digest} ${arn}`)).toBe(`${digest} ${arn}`);
  });
});
