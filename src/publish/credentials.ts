// The ONE conversion of the credential Secret arguments of every AWS function (deploy, diff, canary,
// publish, promote, ensureRepository, release) into in-memory providers. `plaintext()` is read here
// and only here; the values go into SDK providers and nowhere else.
import type { Secret } from "@dagger.io/dagger";
import { assumeRole, baseIdentity, credentialInputs, type AwsIdentity } from "../aws/credentials/providers.js";
import { defaultRunId, roleSessionName } from "../aws/credentials/session-name.js";

/** The credential arguments every AWS function accepts (all optional; pass one kind). */
export interface CredentialSecrets {
  awsAccessKeyId?: Secret;
  awsSecretAccessKey?: Secret;
  awsSessionToken?: Secret;
  awsWebIdentityToken?: Secret;
  awsRoleArn?: string;
  awsProfileFile?: Secret;
  awsProfile?: string;
}

const plaintext = async (s: Secret | undefined): Promise<string | undefined> => (s ? await s.plaintext() : undefined);

export interface RunIdentity {
  /** The caller's own identity (first hop). */
  base: AwsIdentity;
  app: string;
  runId: string;
  /**
   * The identity for one environment or the artifact account: chained into `roleArn` (a session
   * named after the app, the environment and the run) when given, else the caller's own.
   */
  forRole(env: string, roleArn: string | undefined, region: string): AwsIdentity;
}

export async function runIdentity(secrets: CredentialSecrets, opts: { app: string; runId?: string; region: string }): Promise<RunIdentity> {
  const inputs = credentialInputs({
    accessKeyId: await plaintext(secrets.awsAccessKeyId),
    secretAccessKey: await plaintext(secrets.awsSecretAccessKey),
    sessionToken: await plaintext(secrets.awsSessionToken),
    webIdentityToken: await plaintext(secrets.awsWebIdentityToken),
    webIdentityRoleArn: secrets.awsRoleArn,
    profileFile: await plaintext(secrets.awsProfileFile),
    profile: secrets.awsProfile,
  });
  const runId = opts.runId ?? defaultRunId();
  const base = baseIdentity(inputs, { sessionName: roleSessionName({ app: opts.app, env: "ci", runId }), region: opts.region });
  const entryRole = inputs.kind === "webIdentity" ? inputs.roleArn : undefined;
  const chained = new Map<string, AwsIdentity>();
  return {
    base,
    app: opts.app,
    runId,
    forRole: (env, roleArn, region) => {
      // The web-identity token already got this role: chaining into it again would be refused.
      if (!roleArn || roleArn === entryRole) return base;
      const key = `${env}|${roleArn}|${region}`;
      let identity = chained.get(key);
      if (!identity) {
        identity = assumeRole(base, { roleArn, region, sessionName: roleSessionName({ app: opts.app, env, runId }) });
        chained.set(key, identity);
      }
      return identity;
    },
  };
}
