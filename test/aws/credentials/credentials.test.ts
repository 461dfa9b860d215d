import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/nested-clients/sts";
import { mockClient } from "aws-sdk-client-mock";

const mockSts = () => mockClient(STSClient);
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assumeRole, baseIdentity, credentialInputs, MAX_CHAINED_SESSION_SECONDS } from "../../../src/aws/credentials/providers.js";
import { resolveProfile } from "../../../src/aws/credentials/profile-file.js";
import { roleSessionName, sanitiseSessionName } from "../../../src/aws/credentials/session-name.js";

// fromTemporaryCredentials and fromWebToken use the STS client of @aws-sdk/nested-clients;
// mocking that class intercepts their calls.
let sts: ReturnType<typeof mockSts>;
beforeEach(() => {
  sts = mockSts();
});
afterEach(() => sts.restore());

const ENV_ROLE = "arn:aws:iam::222222222222:role/dpra-gamma";
const temp = (id: string) => ({
  Credentials: { AccessKeyId: id, SecretAccessKey: `${id}-secret`, SessionToken: `${id}-token`, Expiration: new Date(Date.now() + 3600_000) },
});

describe("credential inputs", () => {
  it("accepts exactly one kind of credentials and names arguments, never values, in errors", () => {
    expect(() => credentialInputs({})).toThrow(/No AWS credentials given\. Pass --aws-access-key-id/);
    expect(() => credentialInputs({ accessKeyId: "AKIAEXAMPLEVALUE0001", webIdentityToken: "tok" })).toThrow(
      "AWS credentials: pass one kind only, got access keys and a web-identity token.",
    );
    expect(() => credentialInputs({ accessKeyId: "AKIAEXAMPLEVALUE0001" })).toThrow(/must be passed together/);
    expect(() => credentialInputs({ webIdentityToken: "tok" })).toThrow(/needs --aws-role-arn/);
    expect(() => credentialInputs({ sessionToken: "t" })).toThrow(/--aws-session-token belongs to access keys/);
    expect(() => credentialInputs({ accessKeyId: "a", secretAccessKey: "s", webIdentityRoleArn: "arn:aws:iam::1:role/r" })).toThrow(
      /set artifact\.ecr\.roleArn or environments\.<env>\.roleArn in dpra\.yaml instead/,
    );
    expect(() => credentialInputs({ profile: "dev" })).toThrow(/--aws-profile selects a profile of --aws-profile-file/);
    expect(credentialInputs({ accessKeyId: " AKIDX \n", secretAccessKey: "s\n" })).toEqual({ kind: "keys", accessKeyId: "AKIDX", secretAccessKey: "s" });
    expect(credentialInputs({ profileFile: "[default]" })).toEqual({ kind: "profile", file: "[default]", profile: "default" });
  });
});

describe("session names", () => {
  it("identify app, environment and run, within STS's charset and 64 characters", () => {
    expect(roleSessionName({ app: "fruit-api", env: "gamma", runId: "12345678-1" })).toBe("dpra-fruit-api-gamma-12345678-1");
    const long = roleSessionName({ app: "a-very-long-application-name-that-goes-on-and-on-and-on", env: "prod", runId: "gh/run#9876543210/attempt 2" });
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).toMatch(/^[\w+=,.@-]{2,64}$/);
    expect(long).toMatch(/^dpra-a-very-long.*-prod-gh-run-9876543210-attem/);
    expect(sanitiseSessionName("é")).toBe("dpra-");
    expect(sanitiseSessionName("ok name!")).toBe("ok-name");
  });
});

describe("role chaining", () => {
  it("assumes the environment role with the run's session name, capped at one hour", async () => {
    sts.on(AssumeRoleCommand).resolves(temp("ASIAENVROLE"));
    const base = baseIdentity({ kind: "keys", accessKeyId: "AKIDBASE", secretAccessKey: "base-secret" }, { sessionName: "s", region: "eu-west-1" });
    const env = assumeRole(base, { roleArn: ENV_ROLE, sessionName: "dpra-fruit-api-gamma-r1", region: "eu-west-1", durationSeconds: 43_200 });
    const creds = await env.credentials();
    expect(creds.accessKeyId).toBe("ASIAENVROLE");
    expect(env.principal).toBe(`role ${ENV_ROLE}`);
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toEqual({
      RoleArn: ENV_ROLE,
      RoleSessionName: "dpra-fruit-api-gamma-r1",
      DurationSeconds: MAX_CHAINED_SESSION_SECONDS,
    });
  });

  it("exchanges a CI web-identity token for the CI role, then chains into the environment role", async () => {
    sts.on(AssumeRoleWithWebIdentityCommand).resolves(temp("ASIACIROLE"));
    // The mock bypasses the client's signing middleware, so resolve the client's credentials here:
    // the environment role must be assumed with the CI role's credentials.
    const signedWith: string[] = [];
    sts.on(AssumeRoleCommand).callsFake(async (_input, getClient) => {
      const credentials = await getClient().config.credentials();
      signedWith.push(credentials.accessKeyId);
      return temp("ASIAENVROLE");
    });
    const ci = baseIdentity(
      { kind: "webIdentity", token: "eyJ.oidc.token", roleArn: "arn:aws:iam::111111111111:role/dpra-ci" },
      { sessionName: "dpra-fruit-api-ci-r1", region: "eu-west-1" },
    );
    const env = assumeRole(ci, { roleArn: ENV_ROLE, sessionName: "dpra-fruit-api-gamma-r1", region: "eu-west-1" });
    expect((await env.credentials()).accessKeyId).toBe("ASIAENVROLE");
    expect(sts.commandCalls(AssumeRoleWithWebIdentityCommand)[0]!.args[0].input).toMatchObject({
      RoleArn: "arn:aws:iam::111111111111:role/dpra-ci",
      WebIdentityToken: "eyJ.oidc.token",
      RoleSessionName: "dpra-fruit-api-ci-r1",
      DurationSeconds: 3600,
    });
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toMatchObject({ RoleArn: ENV_ROLE, DurationSeconds: 3600 });
    expect(signedWith).toEqual(["ASIACIROLE"]);
  });

  it("explains a denied AssumeRole with the principal and the role", async () => {
    sts.on(AssumeRoleCommand).rejects(
      Object.assign(new Error("User: arn:aws:sts::111111111111:assumed-role/dpra-ci/x is not authorized to perform: sts:AssumeRole on resource: " + ENV_ROLE), {
        name: "AccessDenied",
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const base = { credentials: async () => ({ accessKeyId: "AKIDBASE", secretAccessKey: "base-secret" }), principal: "role arn:aws:iam::111111111111:role/dpra-ci" };
    const env = assumeRole(base, { roleArn: ENV_ROLE, sessionName: "s1", region: "eu-west-1" });
    await expect(env.credentials()).rejects.toThrow(new RegExp(`^AccessDenied: role arn:aws:iam::111111111111:role/dpra-ci may not call sts:AssumeRole on ${ENV_ROLE}\\.`));
  });
});

describe("profile file", () => {
  const file = [
    "[default]",
    "aws_access_key_id = AKIDDEFAULT",
    "aws_secret_access_key = default-secret",
    "",
    "[profile deploy]",
    "role_arn = arn:aws:iam::111111111111:role/dpra-ci",
    "source_profile = default",
    "region = eu-central-1",
    "",
    "[profile sso]",
    "sso_session = corp",
    "sso_account_id = 111111111111",
  ].join("\n");

  it("reads static keys, and a role on top of a source profile", () => {
    expect(resolveProfile(file, "default")).toEqual({ accessKeyId: "AKIDDEFAULT", secretAccessKey: "default-secret" });
    expect(resolveProfile(file, "deploy")).toEqual({
      accessKeyId: "AKIDDEFAULT",
      secretAccessKey: "default-secret",
      roleArn: "arn:aws:iam::111111111111:role/dpra-ci",
      region: "eu-central-1",
    });
  });

  it("fails clearly for missing profiles and for profiles that need local programs, without echoing values", () => {
    expect(() => resolveProfile(file, "nope")).toThrow('AWS profile file: profile "nope" not found (profiles in the file: default, deploy, sso).');
    expect(() => resolveProfile(file, "sso")).toThrow(/profile "sso" uses sso_session, which needs local files or programs/);
    expect(() => resolveProfile("[a]\nsource_profile = b\nrole_arn = r\n[b]\nsource_profile = a\nrole_arn = r2", "a")).toThrow(/more than one role|loop/);
    try {
      resolveProfile("[x]\naws_access_key_id = AKIDONLY", "x");
    } catch (err) {
      expect((err as Error).message).not.toContain("AKIDONLY");
    }
  });

  it("uses the profile's role through a chained session", async () => {
    sts.on(AssumeRoleCommand).resolves(temp("ASIAPROFILE"));
    const id = baseIdentity({ kind: "profile", file, profile: "deploy" }, { sessionName: "dpra-x-ci-r1", region: "eu-west-1" });
    expect(id.principal).toBe("role arn:aws:iam::111111111111:role/dpra-ci");
    expect((await id.credentials()).accessKeyId).toBe("ASIAPROFILE");
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toMatchObject({ RoleSessionName: "dpra-x-ci-r1" });
  });
});
