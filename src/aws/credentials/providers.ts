// Credential providers built in memory from the caller's inputs. Plaintext values live only inside
// the providers' closures: they are never returned, logged or put into a report. What the rest of
// the code sees is an `AwsIdentity`: a provider plus a printable description of the principal.
import { explainAwsError } from "../retry.js";
import { credentialProvidersSdk, type CredentialProvidersSdk } from "../sdk.js";
import { resolveProfile } from "./profile-file.js";
import { renewingSession, type RenewingSession } from "./renewal.js";

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}
export type CredentialProvider = () => Promise<AwsCredentials>;

/** A way to call AWS: where the credentials come from, and who that is in error messages. */
export interface AwsIdentity {
  readonly credentials: CredentialProvider;
  /** Printable and secret-free: a role ARN, or "the caller's access keys". */
  readonly principal: string;
  /** A chained role's kept session, renewed before waits it would not outlast (see renewal.ts). */
  readonly session?: RenewingSession;
}

/** What the caller passed (already read from Dagger Secrets). */
export type CredentialInputs =
  | { kind: "keys"; accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | { kind: "webIdentity"; token: string; roleArn: string }
  | { kind: "profile"; file: string; profile: string };

/** Plaintext of the optional Secret arguments, as the shell reads them. */
export interface CredentialPlaintext {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  webIdentityToken?: string;
  /** Not secret: the role the web-identity token is exchanged for. */
  webIdentityRoleArn?: string;
  profileFile?: string;
  profile?: string;
}

/** AWS caps role chaining at one hour, whatever the role's maximum session duration. */
export const MAX_CHAINED_SESSION_SECONDS = 3600;
const MIN_SESSION_SECONDS = 900;

/** Picks exactly one credential kind from what was passed; errors name arguments, never values. */
export function credentialInputs(p: CredentialPlaintext): CredentialInputs {
  const hasKeys = p.accessKeyId !== undefined || p.secretAccessKey !== undefined;
  const hasWeb = p.webIdentityToken !== undefined;
  const hasProfile = p.profileFile !== undefined;
  const given = [hasKeys && "access keys", hasWeb && "a web-identity token", hasProfile && "a profile file"].filter(Boolean);
  if (given.length > 1) throw new Error(`AWS credentials: pass one kind only, got ${given.join(" and ")}.`);
  if (p.sessionToken !== undefined && !hasKeys) {
    throw new Error("AWS credentials: --aws-session-token belongs to access keys; pass --aws-access-key-id and --aws-secret-access-key with it.");
  }
  if (p.webIdentityRoleArn !== undefined && !hasWeb) {
    throw new Error(
      "AWS credentials: --aws-role-arn is the role a web-identity token is exchanged for. To reach an account's role, " +
        "set artifact.ecr.roleArn or environments.<env>.roleArn in dpra.yaml instead.",
    );
  }
  if (p.profile !== undefined && !hasProfile) throw new Error("AWS credentials: --aws-profile selects a profile of --aws-profile-file; pass the file too.");
  if (given.length === 0) {
    throw new Error(
      "No AWS credentials given. Pass --aws-access-key-id and --aws-secret-access-key (and --aws-session-token), " +
        "or --aws-web-identity-token with --aws-role-arn, or --aws-profile-file, to with-aws before the function " +
        "(dagger call with-aws --aws-... deploy ...); see docs/aws-credentials.md.",
    );
  }
  if (hasKeys) {
    if (!p.accessKeyId || !p.secretAccessKey) {
      throw new Error("AWS credentials: --aws-access-key-id and --aws-secret-access-key must be passed together.");
    }
    return { kind: "keys", accessKeyId: p.accessKeyId.trim(), secretAccessKey: p.secretAccessKey.trim(), ...(p.sessionToken ? { sessionToken: p.sessionToken.trim() } : {}) };
  }
  if (hasWeb) {
    if (!p.webIdentityRoleArn) throw new Error("AWS credentials: a web-identity token needs --aws-role-arn, the role it is exchanged for.");
    return { kind: "webIdentity", token: p.webIdentityToken!.trim(), roleArn: p.webIdentityRoleArn };
  }
  return { kind: "profile", file: p.profileFile!, profile: p.profile ?? "default" };
}

/** The first hop: the caller's own credentials, exchanged for a role when they are a token or a role profile. */
export function baseIdentity(inputs: CredentialInputs, opts: { sessionName: string; region: string }): AwsIdentity {
  switch (inputs.kind) {
    case "keys": {
      const creds: AwsCredentials = {
        accessKeyId: inputs.accessKeyId,
        secretAccessKey: inputs.secretAccessKey,
        ...(inputs.sessionToken ? { sessionToken: inputs.sessionToken } : {}),
      };
      return { credentials: async () => creds, principal: "the caller's access keys" };
    }
    case "webIdentity":
      return {
        credentials: explained(
          lazyProvider((sdk) =>
            sdk.fromWebToken({
              roleArn: inputs.roleArn,
              webIdentityToken: inputs.token,
              roleSessionName: opts.sessionName,
              durationSeconds: MAX_CHAINED_SESSION_SECONDS,
              clientConfig: { region: opts.region },
            }),
          ),
          { role: "the web-identity token", action: "sts:AssumeRoleWithWebIdentity", resource: inputs.roleArn },
        ),
        principal: `role ${inputs.roleArn} (web identity)`,
      };
    case "profile": {
      const resolved = resolveProfile(inputs.file, inputs.profile);
      const keys: AwsCredentials = {
        accessKeyId: resolved.accessKeyId,
        secretAccessKey: resolved.secretAccessKey,
        ...(resolved.sessionToken ? { sessionToken: resolved.sessionToken } : {}),
      };
      const source: AwsIdentity = { credentials: async () => keys, principal: `the keys of profile "${inputs.profile}"` };
      if (!resolved.roleArn) return source;
      return assumeRole(source, {
        roleArn: resolved.roleArn,
        sessionName: opts.sessionName,
        region: resolved.region ?? opts.region,
        ...(resolved.externalId ? { externalId: resolved.externalId } : {}),
      });
    }
  }
}

export interface AssumeRoleOptions {
  roleArn: string;
  sessionName: string;
  region: string;
  /** Capped at one hour: a role assumed with role credentials is a chained session. */
  durationSeconds?: number;
  externalId?: string;
}

/**
 * Chains into another role (e.g. an environment's cross-account role) with `fromTemporaryCredentials`.
 * Its provider starts a session per call, so one session is kept and renewed (`session`).
 */
export function assumeRole(from: AwsIdentity, opts: AssumeRoleOptions, now: () => number = Date.now): AwsIdentity {
  const duration = Math.max(MIN_SESSION_SECONDS, Math.min(opts.durationSeconds ?? MAX_CHAINED_SESSION_SECONDS, MAX_CHAINED_SESSION_SECONDS));
  const assume = explained(
    lazyProvider((sdk) =>
      sdk.fromTemporaryCredentials({
        masterCredentials: from.credentials,
        params: {
          RoleArn: opts.roleArn,
          RoleSessionName: opts.sessionName,
          DurationSeconds: duration,
          ...(opts.externalId ? { ExternalId: opts.externalId } : {}),
        },
        clientConfig: { region: opts.region },
      }),
    ),
    { role: from.principal, action: "sts:AssumeRole", resource: opts.roleArn },
  );
  const session = renewingSession(assume, now);
  return { credentials: session.provider, principal: `role ${opts.roleArn}`, session };
}

/**
 * A provider made on its first call, once: the credential-providers package loads only when AWS is
 * really called, and the provider (which caches and refreshes its session) is kept.
 */
function lazyProvider(make: (sdk: CredentialProvidersSdk) => CredentialProvider): CredentialProvider {
  let provider: Promise<CredentialProvider> | undefined;
  return async () => {
    provider ??= credentialProvidersSdk().then(make);
    return (await provider)();
  };
}

/** A failed role exchange says which principal could not assume which role, not which ECR call needed it. */
function explained(provider: CredentialProvider, context: { role: string; action: string; resource: string }): CredentialProvider {
  return async () => {
    try {
      return await provider();
    } catch (err) {
      throw explainAwsError(err, context);
    }
  };
}
