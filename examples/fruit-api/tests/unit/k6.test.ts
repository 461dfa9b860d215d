import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { beforeAll, describe, expect, it, vi } from "vitest";

// k6 modules exist only inside k6; these doubles let the script's options load in Node.
vi.mock("k6/http", () => ({ default: { get: vi.fn(), post: vi.fn(), del: vi.fn() } }));
vi.mock("k6", () => ({ check: vi.fn() }));

interface K6Options {
  scenarios: Record<string, { executor: string; rate: number; duration: string }>;
  thresholds: Record<string, string[]>;
}

let options: K6Options;
beforeAll(async () => {
  (globalThis as { __ENV?: Record<string, string> }).__ENV = {};
  options = (await import("../load/k6.js")).options as K6Options;
});

describe("k6 load script", () => {
  it("gates on p95 latency, error rate and checks", () => {
    expect(options.thresholds).toEqual({
      http_req_failed: ["rate<0.01"],
      http_req_duration: ["p(95)<500"],
      checks: ["rate>0.99"],
    });
    expect(options.scenarios.steady).toMatchObject({ executor: "constant-arrival-rate", rate: 20, duration: "1m" });
  });

  it("uses the same numbers as the capacity gate in dpra.yaml", () => {
    const config = parse(readFileSync(new URL("../../dpra.yaml", import.meta.url), "utf8")) as {
      capacity: { script: string; thresholds: { p95Ms: number; errorRate: number } };
    };
    expect(config.capacity.script).toBe("tests/load/k6.js");
    expect(options.thresholds.http_req_duration).toEqual([`p(95)<${config.capacity.thresholds.p95Ms}`]);
    expect(options.thresholds.http_req_failed).toEqual([`rate<${config.capacity.thresholds.errorRate}`]);
  });
});
