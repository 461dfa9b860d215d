import { EventEmitter } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { installShutdown, type Closable } from "../../src/lifecycle.js";

function harness(closeServer: () => Promise<void> = async () => {}) {
  const calls: string[] = [];
  const exits: number[] = [];
  const signals = new EventEmitter();
  const target: Closable = {
    startDraining: () => calls.push("drain"),
    closeServer: async () => {
      calls.push("server");
      await closeServer();
    },
    closeDatabase: async () => {
      calls.push("database");
    },
  };
  const log = { info: vi.fn(), error: vi.fn() };
  installShutdown(target, { signals, graceMs: 5_000, exit: (code) => exits.push(code), log });
  return { calls, exits, signals, log };
}

describe("installShutdown", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("drains, closes the server, then the pool, then exits 0 on SIGTERM", async () => {
    const h = harness();
    h.signals.emit("SIGTERM");
    await vi.runAllTimersAsync();
    expect(h.calls).toEqual(["drain", "server", "database"]);
    expect(h.exits).toEqual([0]);
  });

  it("handles a second signal as the same shutdown", async () => {
    const h = harness();
    h.signals.emit("SIGTERM");
    h.signals.emit("SIGINT");
    await vi.runAllTimersAsync();
    expect(h.calls).toEqual(["drain", "server", "database"]);
    expect(h.exits).toEqual([0]);
  });

  it("exits 1 when in-flight requests outlast the grace period", async () => {
    const h = harness(() => new Promise(() => {}));
    h.signals.emit("SIGTERM");
    await vi.advanceTimersByTimeAsync(4_999);
    expect(h.exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.exits).toEqual([1]);
    expect(h.log.error).toHaveBeenCalledWith({ graceMs: 5_000 }, expect.stringContaining("grace period"));
  });

  it("exits 1 when closing fails", async () => {
    const h = harness(async () => {
      throw new Error("boom");
    });
    h.signals.emit("SIGTERM");
    await vi.runAllTimersAsync();
    expect(h.exits).toEqual([1]);
    expect(h.calls).not.toContain("database");
  });
});
