// STS role session names: 2 to 64 characters of [A-Za-z0-9_+=,.@-]. They show up in CloudTrail,
// so they name the pipeline run that made each call.

const MAX = 64;

/** Replaces characters STS rejects and trims to the allowed length. */
export function sanitiseSessionName(raw: string): string {
  const cleaned = raw
    .replace(/[^\w+=,.@-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
  const trimmed = cleaned.slice(0, MAX).replace(/-+$/, "");
  return trimmed.length >= 2 ? trimmed : `dpra-${trimmed}`.slice(0, MAX);
}

/**
 * `dpra-<app>-<env>-<runId>`. When too long, the run ID is kept whole (it is what identifies the run)
 * and the app name is shortened.
 */
export function roleSessionName(parts: { app: string; env: string; runId: string }): string {
  const runId = sanitiseSessionName(parts.runId).slice(0, 24);
  const env = sanitiseSessionName(parts.env).slice(0, 10);
  const room = MAX - "dpra-".length - env.length - runId.length - 2;
  const app = sanitiseSessionName(parts.app).slice(0, Math.max(1, room)).replace(/-+$/, "");
  return sanitiseSessionName(`dpra-${app}-${env}-${runId}`);
}

/** A run ID for when the caller gives none: the time in base 36, unique enough for CloudTrail. */
export function defaultRunId(now: Date = new Date()): string {
  return now.getTime().toString(36);
}
