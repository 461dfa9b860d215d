// The ONE conversion of the credential Secrets (given once, to withAws; used by deploy, diff, canary,
// publish, promote, ensureRepository, release) into in-memory providers. `plaintext()` is read here
// and only here; the values go into SDK providers and nowhere else.
import type { Secret } from "@dagger.io/dagger";
import { baseIdentity, credentialInputs } from "../aws/credentials/providers.js";
import { runIdentityFrom, type RunIdentity } from "../aws/credentials/run-identity.js";
import { defaultRunId, roleSessionName } from "../aws/credentials/session-name.js";

export type { RunIdentity };

/** The credential arguments of withAws, which every AWS function uses (all optional; pass one kind). */
export interface CredentialSecrets {
  awsAccessKeyId?: Secret;
  awsSecretAccessKey?: Secret;
  awsSessionToken?: Secret;
  awsWebIdentityToken?: Secret;
  awsRoleArn?: string;
  awsProfileFile?: Secret;
  awsProfile?: string;
}

/** Only the credential fields of `from` (e.g. the root object, which stores what withAws was given). */
export function credentialsOf(from: CredentialSecrets): CredentialSecrets {
  const { awsAccessKeyId, awsSecretAccessKey, awsSessionToken, awsWebIdentityToken, awsRoleArn, awsProfileFile, awsProfile } = from;
  return { awsAccessKeyId, awsSecretAccessKey, awsSessionToken, awsWebIdentityToken, awsRoleArn, awsProfileFile, awsProfile };
}

const plaintext = async (s: Secret | undefined): Promise<string | undefined> => (s ? await s.plaintext() : undefined);

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
  return runIdentityFrom(base, { app: opts.app, runId, ...(inputs.kind === "webIdentity" ? { entryRole: inputs.roleArn } : {}) });
}
