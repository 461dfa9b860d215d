// Role sessions that outlive a long rollout. A chained AssumeRole session lasts at most an
// hour, and a rollout of several waves with bakes takes longer. The session is kept here, renewed
// on demand: before each wave, before a wait the remaining session would not cover, and whenever a
// call finds it close to its end.
import type { AwsCredentials, CredentialProvider } from "./providers.js";

/** The SDK refreshes credentials 5 minutes before they expire; renewing earlier keeps calls clear of that edge. */
export const RENEW_MARGIN_MS = 10 * 60_000;

export interface RenewingSession {
  /** The credentials for the SDK clients: the kept session, renewed when it is close to its end. */
  readonly provider: CredentialProvider;
  /** Starts a new session now (e.g. before a wave). */
  renew(): Promise<void>;
  /**
   * Makes sure the session lasts `waitMs` more (plus the margin), renewing it when it would not.
   * A wait longer than a session can last gets a new session now; calls during it renew it again.
   */
  ensureValidFor(waitMs: number): Promise<void>;
  /** Milliseconds until the kept session expires; undefined before the first session or without an expiry. */
  remainingMs(): number | undefined;
  /** How many sessions were started (for the stage's record). */
  readonly sessionsStarted: number;
}

/** Wraps a provider that starts a new session on every call (AssumeRole) so that one session is kept and renewed. */
export function renewingSession(assume: CredentialProvider, now: () => number = Date.now): RenewingSession {
  let current: AwsCredentials | undefined;
  let pending: Promise<AwsCredentials> | undefined;
  let started = 0;
  const remaining = () => (current?.expiration ? current.expiration.getTime() - now() : undefined);
  const start = (): Promise<AwsCredentials> => {
    // Concurrent callers share one AssumeRole.
    pending ??= assume()
      .then((creds) => {
        current = creds;
        started++;
        return creds;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
  const lasts = (ms: number) => {
    const left = remaining();
    return current !== undefined && (left === undefined || left > ms + RENEW_MARGIN_MS);
  };
  return {
    provider: async () => (lasts(0) ? current! : start()),
    renew: async () => {
      await start();
    },
    ensureValidFor: async (waitMs) => {
      if (!lasts(waitMs)) await start();
    },
    remainingMs: remaining,
    get sessionsStarted() {
      return started;
    },
  };
}
