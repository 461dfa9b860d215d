// Minimal conversion of the deploy's Secret arguments into a credential provider for the
// environment's role. Plaintext stays inside the providers' closures; nothing here logs or returns it.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";
import { fromTemporaryCredentials, fromWebToken } from "@aws-sdk/credential-providers";

export interface CredentialPlaintext {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  webIdentityToken?: string;
}

/** AWS caps chained role sessions at one hour; the providers refresh before expiry. */
const SESSION_SECONDS = 3600;

/**
 * Credentials for the environment's account: the caller's keys (or web-identity token) assume the
 * environment's role. With a web-identity token, `entryRoleArn` is the role the token is exchanged
 * for first (the environment's role when not given).
 */
export function environmentCredentials(
  p: CredentialPlaintext,
  opts: { roleArn: string; entryRoleArn?: string; sessionName: string; region: string },
): AwsCredentialIdentityProvider {
  const hasKeys = p.accessKeyId !== undefined || p.secretAccessKey !== undefined;
  const hasToken = p.webIdentityToken !== undefined;
  if (hasKeys && hasToken) throw new Error("AWS credentials: pass either access keys or a web-identity token, not both.");
  if (!hasKeys && !hasToken) {
    throw new Error("No AWS credentials given: pass --aws-access-key-id and --aws-secret-access-key (and --aws-session-token), or --aws-web-identity-token.");
  }
  if (hasKeys) {
    if (!p.accessKeyId || !p.secretAccessKey) throw new Error("AWS credentials: --aws-access-key-id and --aws-secret-access-key go together.");
    const master: AwsCredentialIdentity = {
      accessKeyId: p.accessKeyId.trim(),
      secretAccessKey: p.secretAccessKey.trim(),
      ...(p.sessionToken ? { sessionToken: p.sessionToken.trim() } : {}),
    };
    return fromTemporaryCredentials({
      masterCredentials: master,
      params: { RoleArn: opts.roleArn, RoleSessionName: opts.sessionName, DurationSeconds: SESSION_SECONDS },
      clientConfig: { region: opts.region },
    });
  }
  const entry = opts.entryRoleArn ?? opts.roleArn;
  const web = fromWebToken({ roleArn: entry, webIdentityToken: p.webIdentityToken!.trim(), roleSessionName: opts.sessionName, durationSeconds: SESSION_SECONDS, clientConfig: { region: opts.region } });
  if (entry === opts.roleArn) return web;
  return fromTemporaryCredentials({
    masterCredentials: web,
    params: { RoleArn: opts.roleArn, RoleSessionName: opts.sessionName, DurationSeconds: SESSION_SECONDS },
    clientConfig: { region: opts.region },
  });
}
