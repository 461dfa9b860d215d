// A run's AWS identities, whatever the first hop: the caller's own (base) and, per environment, the
// environment's role chained from it. Dagger-free, so the Dagger functions (credentials from
// Secrets) and the engine-free CLI (the SDK's default chain) build them the same way.
import { assumeRole, type AwsIdentity } from "./providers.js";
import { roleSessionName } from "./session-name.js";
import { credentialProvidersSdk } from "../sdk.js";

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

/** The run's identities from its first hop; `entryRole` is the role that hop already is (web identity). */
export function runIdentityFrom(base: AwsIdentity, opts: { app: string; runId: string; entryRole?: string }): RunIdentity {
  const chained = new Map<string, AwsIdentity>();
  return {
    base,
    app: opts.app,
    runId: opts.runId,
    forRole: (env, roleArn, region) => {
      // The first hop already is this role: chaining into it again would be refused.
      if (!roleArn || roleArn === opts.entryRole) return base;
      const key = `${env}|${roleArn}|${region}`;
      let identity = chained.get(key);
      if (!identity) {
        identity = assumeRole(base, { roleArn, region, sessionName: roleSessionName({ app: opts.app, env, runId: opts.runId }) });
        chained.set(key, identity);
      }
      return identity;
    },
  };
}

/**
 * The first hop the standard SDK way, for the engine-free CLI: AWS_ACCESS_KEY_ID..., AWS_PROFILE,
 * web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN), SSO, container and instance roles.
 * The provider package loads on the first AWS call.
 */
export function sdkDefaultChainIdentity(): AwsIdentity {
  let provider: ReturnType<Awaited<ReturnType<typeof credentialProvidersSdk>>["fromNodeProviderChain"]> | undefined;
  return {
    credentials: async () => {
      provider ??= (await credentialProvidersSdk()).fromNodeProviderChain();
      return provider();
    },
    principal: "the credentials of the SDK's default chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, web identity, ...)",
  };
}
