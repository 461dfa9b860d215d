// Shared retry/backoff and error explanation for every AWS call the pipeline makes.
// Usage: `await callAws({ role: roleArn, action: "cloudformation:CreateChangeSet", resource: stackName }, () => client.send(cmd))`
// retries throttling/5xx with backoff and turns a final failure into one actionable sentence, e.g.
// "AccessDenied: role arn:aws:iam::111111111111:role/dpra-deploy may not call cloudformation:CreateChangeSet on fruit-api. ...".
// Each AWS call has exactly one retry layer (docs/aws-retries.md). This one serves the ECR and ECS
// clients, which are built with `sdkSingleAttempt()` (maxAttempts 1, src/aws/sdk.ts): their calls go
// through `callAws` and are tried at most RETRY_MAX_ATTEMPTS times. The CloudFormation, CloudWatch,
// Synthetics and FIS clients retry in the SDK instead (`sdkRetrying()`), and are not wrapped here.

/** Who is calling and what, so that a failure can say which permission is missing. */
export interface AwsCallContext {
  /** The principal making the call: a role ARN, or a description such as "the caller's credentials". */
  role: string;
  /** IAM action, e.g. `ecr:PutImage`. */
  action: string;
  /** The resource, e.g. a repository ARN or name, when known. */
  resource?: string;
}

export interface RetryOptions {
  /** Total attempts, first one included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injected for tests; defaults to a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected for tests; defaults to Math.random (full jitter). */
  random?: () => number;
}

/** Attempts per call (the first included) of the calls this layer retries. */
export const RETRY_MAX_ATTEMPTS = 5;

const DEFAULTS = { maxAttempts: RETRY_MAX_ATTEMPTS, baseDelayMs: 250, maxDelayMs: 8_000 } as const;

/** Error codes AWS services use when they throttle the caller. */
const THROTTLING_CODES = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
]);

/** Throttling plus transient server-side and network failures. */
const RETRYABLE_CODES = new Set([
  ...THROTTLING_CODES,
  "ProvisionedThroughputExceededException",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "InternalError",
  "InternalFailure",
  "InternalServerError",
  "InternalServerException",
  "ServerException",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
]);

const ACCESS_DENIED_CODES = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
]);

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $retryable?: { throttling?: boolean };
}

/** The error code an AWS SDK v3 error carries (its `name`), or a Node network error code. */
export function awsErrorCode(err: unknown): string {
  if (typeof err !== "object" || err === null) return "UnknownError";
  const e = err as AwsLikeError;
  if (typeof e.code === "string" && e.code.startsWith("E")) return e.code;
  return e.name ?? e.code ?? "UnknownError";
}

export function isAccessDenied(err: unknown): boolean {
  const e = err as AwsLikeError | undefined;
  return ACCESS_DENIED_CODES.has(awsErrorCode(err)) || e?.$metadata?.httpStatusCode === 403;
}

/** True when an AWS SDK error says the caller is being throttled (by code, HTTP 429 or "Rate exceeded"). */
export function isThrottling(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const e = err as AwsLikeError & { Code?: unknown };
  if (THROTTLING_CODES.has(awsErrorCode(err))) return true;
  if (typeof e.Code === "string" && THROTTLING_CODES.has(e.Code)) return true;
  if (e.$metadata?.httpStatusCode === 429) return true;
  return typeof e.message === "string" && /rate exceeded/i.test(e.message);
}

/** True for throttling and transient failures; never for permission or validation errors. */
export function isRetryable(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  if (err instanceof AwsActionError) return false;
  if (isAccessDenied(err)) return false;
  const e = err as AwsLikeError;
  if (e.$retryable !== undefined) return true;
  if (RETRYABLE_CODES.has(awsErrorCode(err))) return true;
  const status = e.$metadata?.httpStatusCode;
  return status === 429 || (status !== undefined && status >= 500);
}

/** Exponential backoff with full jitter: a random delay in [0, min(max, base * 2^attempt)]. */
export function backoffDelay(attempt: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? DEFAULTS.baseDelayMs;
  const cap = options.maxDelayMs ?? DEFAULTS.maxDelayMs;
  const random = options.random ?? Math.random;
  return Math.floor(random() * Math.min(cap, base * 2 ** attempt));
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `call`, retrying throttling and transient failures with backoff. Other errors propagate at once. */
export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? DEFAULTS.maxAttempts;
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt + 1 >= maxAttempts || !isRetryable(err)) throw err;
      await sleep(backoffDelay(attempt, options));
    }
  }
}

/** An AWS failure rewritten to say who was denied what, and what to do. `cause` is a redacted copy of the original. */
export class AwsActionError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly context: AwsCallContext,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AwsActionError";
  }
}

/**
 * Explains a failed AWS call in one sentence a user can act on, e.g.
 * "AccessDenied: role arn:aws:iam::111111111111:role/dpra-publish may not call ecr:PutImage on fruit-api. ...".
 * The original message is kept, minus anything that looks like a credential.
 */
export function explainAwsError(err: unknown, context: AwsCallContext): AwsActionError {
  if (err instanceof AwsActionError) return err;
  const code = awsErrorCode(err);
  const who = context.role.startsWith("arn:") ? `role ${context.role}` : context.role;
  const on = context.resource ? ` on ${context.resource}` : "";
  const original = redactCredentials(awsMessageOf(err));
  const requestId = (err as AwsLikeError | undefined)?.$metadata?.requestId;
  const detail = `${original ? ` AWS said: ${original}` : ""}${requestId ? ` (request ${requestId})` : ""}`;
  let message: string;
  if (code === "ExpiredToken" || code === "ExpiredTokenException") {
    message = `${code}: the credentials of ${who} expired before ${context.action}${on}.` + ` Pass fresh credentials (a new OIDC token or session) and rerun.${detail}`;
  } else if (isAccessDenied(err)) {
    message = `${code}: ${who} may not call ${context.action}${on}.` + ` Add ${context.action} to that role's policy (see docs/iam.md and docs/iam-policies.json).${detail}`;
  } else if (isRetryable(err)) {
    message = `${code}: ${context.action}${on} kept failing after retries with backoff (called as ${who}).${detail}`;
  } else {
    message = `${code}: ${context.action}${on} failed (called as ${who}).${detail}`;
  }
  // The cause is a redacted copy: printers (Node's inspect, CI logs) show causes, and an AWS
  // message can echo a key ID or a signature.
  const cause = Object.assign(new Error(original), { name: code, ...(requestId ? { requestId } : {}) });
  return new AwsActionError(message, code, context, { cause });
}

/** One AWS call: retried when transient, explained when it finally fails. */
export async function callAws<T>(context: AwsCallContext, call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  try {
    return await withRetry(call, options);
  } catch (err) {
    throw explainAwsError(err, context);
  }
}

/** The message AWS gave, or "" (not "[object Object]") when the thrown value carries none. */
function awsMessageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === "string") return err;
  return "";
}

/**
 * Access key IDs and long mixed-case base64 runs with digits (secret keys, session tokens, signatures)
 * never make it into a message. Hex digests (lowercase only) and ARNs (split by : and -) stay readable.
 */
export function redactCredentials(text: string): string {
  return text
    .replace(/\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g, "[redacted-key-id]")
    .replace(/[A-Za-z0-9+/=]{40,}/g, (run) => (/[A-Z]/.test(run) && /[a-z]/.test(run) && /\d/.test(run) ? "[redacted]" : run));
}
