import { z } from "zod";
import { errorMessage } from "../../errors.js";

/**
 * The `k6 run --summary-export=<file>` JSON: `metrics.<name>` holds the aggregated values flat
 * (trend: avg/min/med/max/p(90)/p(95) in ms; rate: passes/fails/value; counter: count/rate).
 * For `http_req_failed`, `value` is the share of failed requests and `passes` counts the failures.
 */
const Trend = z.looseObject({ "p(95)": z.number({ error: "expected p(95) (ms); keep p(95) in --summary-trend-stats" }) });
const Rate = z.looseObject({ value: z.number().min(0).max(1), passes: z.number().optional(), fails: z.number().optional() });
const Counter = z.looseObject({ count: z.number().min(0), rate: z.number().min(0) });

export const K6SummaryExport = z.looseObject({
  metrics: z.looseObject({
    http_req_duration: Trend,
    http_req_failed: Rate,
    http_reqs: Counter,
  }),
});

/** The three numbers the capacity gate works with. */
export interface CapacityMetrics {
  /** 95th percentile of http_req_duration, in ms. */
  p95Ms: number;
  /** Share of failed requests, 0..1. */
  errorRate: number;
  /** Requests per second over the whole test. */
  rps: number;
  requests: number;
}

/** Parses a k6 summary export; fails naming the file and the missing metric. */
export function parseK6Summary(text: string, file = "k6 summary export"): CapacityMetrics {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${errorMessage(e)}); k6 writes it with --summary-export=<file>`, { cause: e });
  }
  const parsed = K6SummaryExport.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join(".") : "";
    throw new Error(
      `${file}: ${where ? `${where}: ` : ""}${issue?.message ?? "unexpected shape"}. ` +
        "Expected a k6 --summary-export file with metrics.http_req_duration, http_req_failed and http_reqs: does the script make HTTP requests?",
    );
  }
  const m = parsed.data.metrics;
  return { p95Ms: m.http_req_duration["p(95)"], errorRate: m.http_req_failed.value, rps: m.http_reqs.rate, requests: m.http_reqs.count };
}
