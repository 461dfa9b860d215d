import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/nested-clients/sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runIdentity, type CredentialSecrets } from "../../src/inputs/credentials.dagger.js";

// The one conversion of the credential arguments that every AWS function (deploy, diff, canary,
// publish, promote, ensureRepository, release) goes through. STS is mocked where the SDK's
// credential providers send it (@aws-sdk/nested-clients).
const secret = (value: string) => ({ plaintext: async () => value });
const ENV_ROLE = "arn:aws:iam::222222222222:role/dpra-deploy";
const CI_ROLE = "arn:aws:iam::111111111111:role/dpra-pipeline-gamma";
const temp = (id: string) => ({
  Credentials: { AccessKeyId: id, SecretAccessKey: `${id}-secret`, SessionToken: `${id}-token`, Expiration: new Date(Date.now() + 3600_000) },
});

const mockSts = () => mockClient(STSClient);
let sts: ReturnType<typeof mockSts>;
beforeEach(() => {
  sts = mockSts();
});
afterEach(() => sts.restore());

describe("runIdentity", () => {
  it("chains into an environment's role once per environment and region, with a session naming app, environment and run", async () => {
    sts.on(AssumeRoleCommand).resolves(temp("ASIAGAMMA"));
    const run = await runIdentity({ awsAccessKeyId: secret("AKIAKEYS0001"), awsSecretAccessKey: secret("keys-secret") } as unknown as CredentialSecrets, {
      app: "fruit-api",
      region: "eu-west-1",
      runId: "gh-4242",
    });
    const gamma = run.forRole("gamma", ENV_ROLE, "eu-west-1");
    expect(run.forRole("gamma", ENV_ROLE, "eu-west-1")).toBe(gamma);
    expect((await gamma.credentials()).accessKeyId).toBe("ASIAGAMMA");
    const calls = sts.commandCalls(AssumeRoleCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toMatchObject({ RoleArn: ENV_ROLE, RoleSessionName: "dpra-fruit-api-gamma-gh-4242", DurationSeconds: 3600 });
    expect(run.forRole("ci", undefined, "eu-west-1")).toBe(run.base);
  });

  it("does not chain into the role a web-identity token was already exchanged for", async () => {
    sts.on(AssumeRoleWithWebIdentityCommand).resolves(temp("ASIACI"));
    const run = await runIdentity({ awsWebIdentityToken: secret("eyJ.token"), awsRoleArn: ENV_ROLE } as unknown as CredentialSecrets, {
      app: "fruit-api",
      region: "eu-west-1",
      runId: "r9",
    });
    const gamma = run.forRole("gamma", ENV_ROLE, "eu-west-1");
    expect(gamma).toBe(run.base);
    expect((await gamma.credentials()).accessKeyId).toBe("ASIACI");
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(sts.commandCalls(AssumeRoleWithWebIdentityCommand)[0]!.args[0].input).toMatchObject({ RoleArn: ENV_ROLE, RoleSessionName: "dpra-fruit-api-ci-r9" });
  });

  it("chains from a CI role into another environment's role", async () => {
    sts.on(AssumeRoleWithWebIdentityCommand).resolves(temp("ASIACI"));
    sts.on(AssumeRoleCommand).resolves(temp("ASIAPROD"));
    const run = await runIdentity({ awsWebIdentityToken: secret("eyJ.token"), awsRoleArn: CI_ROLE } as unknown as CredentialSecrets, {
      app: "fruit-api",
      region: "eu-west-1",
      runId: "r9",
    });
    const prod = run.forRole("prod", "arn:aws:iam::333333333333:role/dpra-deploy", "us-east-1");
    expect(prod.principal).toBe("role arn:aws:iam::333333333333:role/dpra-deploy");
    expect((await prod.credentials()).accessKeyId).toBe("ASIAPROD");
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toMatchObject({ RoleSessionName: "dpra-fruit-api-prod-r9" });
  });
});
