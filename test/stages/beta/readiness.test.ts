// The probe script runs for real here (sh + curl) against a local HTTP server.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { notReadyMessage, parseProbeOutput, PROBE_SCRIPT } from "../../../src/stages/beta/readiness.js";

let server: http.Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(handler: (n: number) => number): Promise<string> {
  let n = 0;
  server = http.createServer((_req, res) => {
    res.statusCode = handler(++n);
    res.end();
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/health/ready`;
}

function probe(url: string, timeout: number, log: string): Promise<{ stdout: string; exitCode: number }> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", PROBE_SCRIPT, "probe", url, String(timeout), log, "3"]);
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.on("close", (code) => resolve({ stdout, exitCode: code ?? 1 }));
  });
}

describe("readiness probe", () => {
  it("waits through non-2xx answers until the app is healthy", async () => {
    const url = await serve((n) => (n < 2 ? 503 : 204));
    const out = await probe(url, 10, "/nonexistent.log");
    expect(out.exitCode).toBe(0);
    const r = parseProbeOutput(out.stdout, out.exitCode);
    expect(r).toMatchObject({ ready: true, status: "204" });
  });

  it("gives up after the timeout with the last status and the app's last log lines", async () => {
    const url = await serve(() => 500);
    const dir = mkdtempSync(path.join(os.tmpdir(), "dpra-probe-"));
    const log = path.join(dir, "app.log");
    writeFileSync(log, "starting\nconnecting to db\nerror: password authentication failed\nexiting\n");
    const out = await probe(url, 1, log);
    expect(out.exitCode).toBe(1);
    const r = parseProbeOutput(out.stdout, out.exitCode);
    expect(r).toEqual({ ready: false, lastStatus: "500", seconds: expect.any(Number), logLines: ["connecting to db", "error: password authentication failed", "exiting"] });
    if (r.ready) throw new Error("unreachable");
    expect(notReadyMessage("http://app:8080/health/ready", 1, r)).toBe(
      "the app did not become healthy on http://app:8080/health/ready within 1s (last HTTP status 500). Last 3 log line(s) of the app:\nconnecting to db\nerror: password authentication failed\nexiting",
    );
  });

  it("reports no HTTP answer and no log when nothing listens", async () => {
    const out = await probe("http://127.0.0.1:9/health", 1, "/nonexistent.log");
    const r = parseProbeOutput(out.stdout, out.exitCode);
    expect(r).toMatchObject({ ready: false, lastStatus: "000", logLines: ["(the app wrote no log)"] });
  });

  it("fails clearly when the probe did not run at all", () => {
    expect(() => parseProbeOutput("sh: curl: not found", 127)).toThrow("the readiness probe did not run (exit code 127): sh: curl: not found");
  });

  it("masks connection passwords the app wrote to its log", () => {
    const r = parseProbeOutput("DPRA_NOT_READY 503 60s\nDPRA_APP_LOG_BEGIN\nconnecting to postgres://app:abc123@db:5432/app\nDPRA_APP_LOG_END\n", 1);
    expect(r).toMatchObject({ ready: false, logLines: ["connecting to postgres://app:***@db:5432/app"] });
  });
});
