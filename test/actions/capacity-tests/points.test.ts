import { describe, expect, it } from "vitest";
import { parseK6Points, percentile, windowStats } from "../../../src/actions/capacity-tests/points.js";

// Line shapes as documented for `k6 run --out json` (Metric lines, then Point lines with data.time/value/tags).
const lines = [
  '{"type":"Metric","data":{"type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"http_req_duration"}',
  '{"type":"Point","data":{"time":"2026-11-26T09:00:00.100+00:00","value":100,"tags":{"status":"200"}},"metric":"http_req_duration"}',
  '{"type":"Point","data":{"time":"2026-11-26T09:00:00.100+00:00","value":0,"tags":{"status":"200"}},"metric":"http_req_failed"}',
  '{"type":"Point","data":{"time":"2026-11-26T09:00:01.100+00:00","value":5,"tags":null},"metric":"vus"}',
  '{"type":"Point","data":{"time":"2026-11-26T09:01:00.500+00:00","value":900,"tags":{"status":"503"}},"metric":"http_req_duration"}',
  '{"type":"Point","data":{"time":"2026-11-26T09:01:00.500+00:00","value":1,"tags":{"status":"503"}},"metric":"http_req_failed"}',
  "",
].join("\n");

describe("parseK6Points", () => {
  it("keeps request durations and failures with their times", () => {
    const s = parseK6Points(lines);
    expect(s.durations).toEqual([
      { time: Date.parse("2026-11-26T09:00:00.100Z"), value: 100 },
      { time: Date.parse("2026-11-26T09:01:00.500Z"), value: 900 },
    ]);
    expect(s.failures.map((f) => f.failed)).toEqual([false, true]);
  });

  it("reports the line of a broken point", () => {
    expect(() => parseK6Points('{"type":"Point",', "points.json")).toThrow(/points\.json:1: not a JSON line/);
  });
});

describe("windowStats", () => {
  it("splits samples by time window", () => {
    const s = parseK6Points(lines);
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const before = windowStats(s, t0, t0 + 60_000);
    const during = windowStats(s, t0 + 60_000, t0 + 120_000);
    expect(before).toMatchObject({ requests: 1, successRate: 1, p95Ms: 100 });
    expect(during).toMatchObject({ requests: 1, successRate: 0, p95Ms: 900 });
  });

  it("uses nearest-rank percentiles", () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(v, 95)).toBe(95);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([], 95)).toBe(0);
  });
});
