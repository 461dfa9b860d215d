import { FisClient, GetExperimentCommand, StartExperimentCommand, StopExperimentCommand, ValidationException } from "@aws-sdk/client-fis";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runChaosExperiment, type ChaosSettings } from "../../../src/actions/chaos-tests/experiment.js";
import { mockAws } from "../../support/aws-mock.js";
import { settle } from "../../support/virtual-clock.js";

const fisMock = mockAws(FisClient);
const fis = new FisClient({ region: "eu-west-1" });
const T0 = Date.parse("2026-11-26T09:00:00Z");

const settings: ChaosSettings = {
  experimentTemplateId: "EXT1a2b3c4d5e6f7",
  clientToken: "run-42-gamma-chaos",
  warmupMs: 60_000,
  maxExperimentMs: 120_000,
  pollMs: 10_000,
  maxSuccessRateDrop: 0.05,
  maxLatencyIncrease: 0.5,
};

/** k6 `--out json` request lines: one request per second from `from` to `to`, with the given latency/failure. */
function samples(from: number, to: number, latency: (t: number) => number, failed: (t: number) => boolean): string {
  const out: string[] = [];
  for (let t = from; t < to; t += 1_000) {
    const time = new Date(t).toISOString();
    out.push(`{"type":"Point","data":{"time":"${time}","value":${latency(t)},"tags":{}},"metric":"http_req_duration"}`);
    out.push(`{"type":"Point","data":{"time":"${time}","value":${failed(t) ? 1 : 0},"tags":{}},"metric":"http_req_failed"}`);
  }
  return out.join("\n");
}

/** A load over the whole run (4 minutes of fake time from T0): a sample a second, 100 ms and none failed unless said. */
function wholeRunLoad(latency: (t: number) => number = () => 100, failed: (t: number) => boolean = () => false) {
  return loadFor(240_000, () => samples(T0, T0 + 240_000, latency, failed));
}

/** A load that "runs" for `ms` of fake time and then returns the samples. */
function loadFor(ms: number, ndjson: () => string) {
  return vi.fn(() => new Promise<string>((resolve) => setTimeout(() => resolve(ndjson()), ms)));
}

beforeEach(() => {
  fisMock.reset();
  vi.useFakeTimers({ now: T0 });
  fisMock.on(StartExperimentCommand).resolves({ experiment: { id: "EXPabc", state: { status: "initiating" } } });
  fisMock.on(StopExperimentCommand).resolves({ experiment: { id: "EXPabc", state: { status: "stopping" } } });
});
afterEach(() => vi.useRealTimers());

describe("runChaosExperiment", () => {
  it("passes when the fault window stays within the allowed degradation, and stops the experiment", async () => {
    fisMock
      .on(GetExperimentCommand)
      .resolvesOnce({ experiment: { id: "EXPabc", state: { status: "running" } } })
      .resolves({ experiment: { id: "EXPabc", state: { status: "completed" } } });
    const load = wholeRunLoad((t) => (t < T0 + 60_000 ? 100 : 130));

    const report = await settle(runChaosExperiment(fis, load, settings));

    expect(report.passed).toBe(true);
    expect(report.experimentStatus).toBe("completed");
    expect(report.before).toMatchObject({ requests: 60, successRate: 1, p95Ms: 100 });
    expect(report.during.p95Ms).toBe(130);
    expect(fisMock.commandCalls(StartExperimentCommand)[0]?.args[0].input).toMatchObject({
      experimentTemplateId: "EXT1a2b3c4d5e6f7",
      clientToken: "run-42-gamma-chaos",
    });
    expect(fisMock.commandCalls(StopExperimentCommand)).toHaveLength(1);
    // The experiment started only after the warm-up window.
    expect(report.during.from).toBe(T0 + 60_000);
  });

  it("fails when the success rate drops too far during the fault window", async () => {
    fisMock.on(GetExperimentCommand).resolves({ experiment: { id: "EXPabc", state: { status: "completed" } } });
    const load = wholeRunLoad(
      () => 100,
      (t) => t >= T0 + 60_000 && t % 10_000 === 0,
    );

    const report = await settle(runChaosExperiment(fis, load, settings));

    expect(report.passed).toBe(false);
    expect(report.checks.find((c) => c.name === "success rate")).toMatchObject({ passed: false });
    // Fault window: 60 s (start) to 70 s (completed at the first poll), 11 samples, failures at 60 s and 70 s.
    expect(report.during).toMatchObject({ from: T0 + 60_000, requests: 11 });
    expect(report.checks.find((c) => c.name === "success rate")?.detail).toMatch(/81\.82% during vs 100\.00% before/);
  });

  it("stops the experiment when an error happens mid-run, and reports the error", async () => {
    fisMock
      .on(GetExperimentCommand)
      .resolvesOnce({ experiment: { id: "EXPabc", state: { status: "running" } } })
      .rejects(new Error("ThrottlingException: Rate exceeded"));
    const load = loadFor(240_000, () => "");

    await expect(settle(runChaosExperiment(fis, load, settings))).rejects.toThrow(/Rate exceeded/);
    expect(fisMock.commandCalls(StopExperimentCommand)).toHaveLength(1);
    expect(fisMock.commandCalls(StopExperimentCommand)[0]?.args[0].input).toEqual({ id: "EXPabc" });
  });

  it("stops an experiment that outlives its bound", async () => {
    fisMock.on(GetExperimentCommand).resolves({ experiment: { id: "EXPabc", state: { status: "running" } } });
    const load = loadFor(300_000, () =>
      samples(
        T0,
        T0 + 300_000,
        () => 100,
        () => false,
      ),
    );

    const report = await settle(runChaosExperiment(fis, load, settings));

    expect(report.stopped.requested).toBe(true);
    expect(report.experimentStatus).toBe("stopping");
    expect(fisMock.commandCalls(GetExperimentCommand).length).toBeLessThanOrEqual(13);
  });

  it("says so loudly when stopping a still-running experiment fails", async () => {
    fisMock.on(GetExperimentCommand).rejects(new Error("boom"));
    fisMock.on(StopExperimentCommand).rejects(new Error("AccessDenied"));
    await expect(
      settle(
        runChaosExperiment(
          fis,
          loadFor(300_000, () => ""),
          settings,
        ),
      ),
    ).rejects.toThrow(/StopExperiment EXPabc failed .*AccessDenied.*stop it by hand/);
  });

  it("accepts the refusal to stop an experiment that already completed", async () => {
    fisMock.on(GetExperimentCommand).resolves({ experiment: { id: "EXPabc", state: { status: "completed" } } });
    fisMock.on(StopExperimentCommand).rejects(new ValidationException({ message: "Experiment is not running", $metadata: {} }));
    const load = wholeRunLoad();

    const report = await settle(runChaosExperiment(fis, load, settings));

    expect(report.passed).toBe(true);
    expect(report.stopped.error).toMatch(/not running/);
  });

  it("fails a failed experiment with its reason", async () => {
    fisMock.on(GetExperimentCommand).resolves({
      experiment: { id: "EXPabc", state: { status: "failed", reason: "Target resolution failed: no resources match the tags" } },
    });
    const load = wholeRunLoad();

    const report = await settle(runChaosExperiment(fis, load, settings));

    expect(report.passed).toBe(false);
    expect(report.checks[0]?.detail).toMatch(/Target resolution failed/);
  });

  it("does not start the experiment when the load ended during the warm-up", async () => {
    const load = loadFor(10_000, () => "");
    await expect(settle(runChaosExperiment(fis, load, settings))).rejects.toThrow(/load finished before the experiment started/);
    expect(fisMock.commandCalls(StartExperimentCommand)).toHaveLength(0);
  });
});
