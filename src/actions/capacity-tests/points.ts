import { z } from "zod";

/**
 * Reads the NDJSON that `k6 run --out json=<file>` writes: one `{"type":"Metric",...}` line per metric
 * and one `{"type":"Point","metric":...,"data":{"time","value","tags"}}` line per sample. Only the
 * request samples matter here: http_req_duration (ms) and http_req_failed (0/1).
 */
const PointLine = z.object({
  type: z.literal("Point"),
  metric: z.string(),
  data: z.object({ time: z.string(), value: z.number() }),
});

export interface RequestSample {
  /** Epoch ms. */
  time: number;
  durationMs?: number;
  failed?: boolean;
}

export interface SampleSeries {
  durations: { time: number; value: number }[];
  failures: { time: number; failed: boolean }[];
}

export function parseK6Points(ndjson: string, file = "k6 JSON output"): SampleSeries {
  const series: SampleSeries = { durations: [], failures: [] };
  let lineNo = 0;
  for (const line of ndjson.split("\n")) {
    lineNo++;
    if (line.trim() === "" || !line.includes('"Point"')) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${lineNo}: not a JSON line; expected the output of k6 --out json=<file>`);
    }
    const p = PointLine.safeParse(raw);
    if (!p.success) continue; // Metric lines and other types carry no samples.
    const time = Date.parse(p.data.data.time);
    if (Number.isNaN(time)) throw new Error(`${file}:${lineNo}: point time "${p.data.data.time}" is not a timestamp`);
    if (p.data.metric === "http_req_duration") series.durations.push({ time, value: p.data.data.value });
    else if (p.data.metric === "http_req_failed") series.failures.push({ time, failed: p.data.data.value !== 0 });
  }
  return series;
}

export interface WindowStats {
  from: number;
  to: number;
  requests: number;
  successRate: number;
  p95Ms: number;
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Statistics of the samples with from <= time < to. */
export function windowStats(series: SampleSeries, from: number, to: number): WindowStats {
  const inWindow = (t: number) => t >= from && t < to;
  const durations = series.durations.filter((d) => inWindow(d.time)).map((d) => d.value);
  const failures = series.failures.filter((f) => inWindow(f.time));
  const failed = failures.filter((f) => f.failed).length;
  return {
    from,
    to,
    requests: failures.length,
    successRate: failures.length === 0 ? 0 : (failures.length - failed) / failures.length,
    p95Ms: percentile(durations, 95),
  };
}
