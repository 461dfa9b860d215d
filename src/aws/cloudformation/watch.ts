import type { CloudFormationClient, Stack, StackEvent } from "@aws-sdk/client-cloudformation";
import { StackEventStream, formatEvent } from "./events.js";
import { errorText } from "../../errors.js";
import { Backoff, formatDuration, isThrottling, sleep } from "./poll.js";
import { describeStack, isSettled } from "./stack.js";

export interface WatchOptions {
  client: CloudFormationClient;
  stackName: string;
  /** Prefix of every log line, e.g. `[eu-west-1 fruit-api]`. */
  label: string;
  pollMs: number;
  timeoutMs: number;
  log: (line: string) => void;
  stream: StackEventStream;
  /** Resources the operation touches, for the progress line. */
  expectedResources?: number;
  signal?: AbortSignal;
}

export type WatchResult = { settled: true; stack: Stack | undefined; events: StackEvent[] } | { settled: false; stack: Stack | undefined; events: StackEvent[] };

/**
 * Follows a stack operation until the stack settles: prints only new events and a progress line
 * each poll. Event polls are best effort: their failures are logged and never fail the deploy;
 * the stack status alone decides. Throttling doubles the interval (up to 30 s).
 */
export async function watchStackOperation(o: WatchOptions): Promise<WatchResult> {
  const started = Date.now();
  const backoff = new Backoff(o.pollMs, 30_000);
  const done = new Set<string>();
  let stack: Stack | undefined;
  for (;;) {
    let throttled = false;
    try {
      for (const e of await o.stream.poll()) {
        o.log(`${o.label} ${formatEvent(e)}`);
        if (e.LogicalResourceId && e.LogicalResourceId !== e.StackName && e.ResourceStatus?.endsWith("_COMPLETE")) done.add(e.LogicalResourceId);
      }
    } catch (err) {
      throttled = isThrottling(err);
      o.log(`${o.label} reading stack events failed (${throttled ? "throttled, backing off" : errorText(err)}); the deploy goes on`);
    }
    stack = await describeStack(o.client, o.stackName, o.signal);
    const status = stack?.StackStatus ?? "DELETE_COMPLETE";
    if (!stack || isSettled(status)) {
      // One last read so the final events (and the root cause) are not missed.
      try {
        for (const e of await o.stream.poll()) o.log(`${o.label} ${formatEvent(e)}`);
      } catch (err) {
        o.log(`${o.label} reading the last stack events failed (${errorText(err)}); the result stands`);
      }
      o.log(`${o.label} ${status} after ${formatDuration(Date.now() - started)}`);
      return { settled: true, stack, events: o.stream.events };
    }
    const total = o.expectedResources ? `/${o.expectedResources}` : "";
    o.log(`${o.label} ${status}: ${done.size}${total} resources done, ${formatDuration(Date.now() - started)} elapsed`);
    if (Date.now() - started >= o.timeoutMs) return { settled: false, stack, events: o.stream.events };
    await sleep(backoff.next(throttled), o.signal);
  }
}

/** Polls until the stack is settled (or gone), without reading events. */
export async function waitUntilSettled(
  client: CloudFormationClient,
  stackName: string,
  opts: { pollMs: number; timeoutMs: number; signal?: AbortSignal },
): Promise<Stack | undefined> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const stack = await describeStack(client, stackName, opts.signal);
    if (!stack || isSettled(stack.StackStatus) || Date.now() >= deadline) return stack;
    await sleep(opts.pollMs, opts.signal);
  }
}
