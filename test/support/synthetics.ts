import { readFileSync } from "node:fs";
import {
  CreateCanaryCommand,
  DescribeCanariesCommand,
  DescribeRuntimeVersionsCommand,
  GetCanaryCommand,
  GetCanaryRunsCommand,
  StartCanaryCommand,
  type CanaryRun,
} from "@aws-sdk/client-synthetics";
import type { LooseStub } from "./aws-mock.js";
import { fixturePath } from "./fixtures.js";

interface PlaceboDate {
  __class__: "datetime";
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
}

function isPlaceboDate(v: unknown): v is PlaceboDate {
  return typeof v === "object" && v !== null && (v as { __class__?: unknown }).__class__ === "datetime";
}

/** Turns placebo datetime objects and ISO strings under Timeline into Dates, as the SDK would. */
function revive(value: unknown, key = ""): unknown {
  if (isPlaceboDate(value)) {
    return new Date(Date.UTC(value.year, value.month - 1, value.day, value.hour, value.minute, value.second, value.microsecond / 1000));
  }
  if ((key === "Started" || key === "Completed") && typeof value === "string") return new Date(value);
  if (Array.isArray(value)) return value.map((v) => revive(v));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v, k)]));
  }
  return value;
}

/** CanaryRuns from the recorded cloud-custodian placebo response (PASSED, 2025-10-05T14:14:09Z). */
export function placeboRuns(): CanaryRun[] {
  const raw = JSON.parse(readFileSync(fixturePath("aws-synthetics", "c7n-placebo-synthetics.GetCanaryRuns_5.json"), "utf8")) as { data: unknown };
  return (revive(raw.data) as { CanaryRuns: CanaryRun[] }).CanaryRuns;
}

/** CanaryRuns from the AWS CLI docs example (PASSED, ISO timestamps with +05:30 offset). */
export function cliExampleRuns(): CanaryRun[] {
  const raw = JSON.parse(readFileSync(fixturePath("aws-synthetics", "aws-cli-example-get-canary-runs.json"), "utf8")) as unknown;
  return (revive(raw) as { CanaryRuns: CanaryRun[] }).CanaryRuns;
}

/**
 * Synthetics answering for a canary that does not exist yet: the runtime is there, the canary is
 * created, READY twice (created, then before the start), RUNNING once started; its runs are `runs()`.
 */
export function mockNewCanary(synthetics: LooseStub, runs: () => CanaryRun[]): void {
  synthetics.on(DescribeRuntimeVersionsCommand).resolves({ RuntimeVersions: [{ VersionName: "syn-nodejs-playwright-2.0" }] });
  synthetics.on(DescribeCanariesCommand).resolves({ Canaries: [] });
  synthetics.on(CreateCanaryCommand).resolves({});
  synthetics
    .on(GetCanaryCommand)
    .resolvesOnce({ Canary: { Status: { State: "READY" } } })
    .resolvesOnce({ Canary: { Status: { State: "READY" } } })
    .resolves({ Canary: { Status: { State: "RUNNING" } } });
  synthetics.on(StartCanaryCommand).resolves({});
  synthetics.on(GetCanaryRunsCommand).callsFake(() => ({ CanaryRuns: runs() }));
}
