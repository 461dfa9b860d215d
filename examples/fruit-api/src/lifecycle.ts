import type { EventEmitter } from "node:events";

export interface Closable {
  startDraining(): void;
  /** Stops accepting connections and resolves once in-flight requests have finished. */
  closeServer(): Promise<void>;
  closeDatabase(): Promise<void>;
}

export interface ShutdownOptions {
  signals: EventEmitter;
  graceMs: number;
  exit: (code: number) => void;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/**
 * On SIGTERM (ECS stopping a task) or SIGINT: report not-ready, let in-flight requests finish,
 * close the pool, exit 0. If that takes longer than the grace period, exit 1 so that ECS's own
 * stop timeout never has to SIGKILL a task in the middle of a response.
 */
export function installShutdown(target: Closable, options: ShutdownOptions): void {
  let started = false;
  const shutdown = (signal: string) => {
    if (started) return;
    started = true;
    options.log.info({ signal, graceMs: options.graceMs }, "shutting down");
    target.startDraining();
    const timer = setTimeout(() => {
      options.log.error({ graceMs: options.graceMs }, "shutdown took longer than the grace period; exiting");
      options.exit(1);
    }, options.graceMs);
    timer.unref?.();
    target
      .closeServer()
      .then(() => target.closeDatabase())
      .then(
        () => {
          clearTimeout(timer);
          options.log.info({}, "shutdown complete");
          options.exit(0);
        },
        (error: unknown) => {
          clearTimeout(timer);
          options.log.error({ err: error }, "shutdown failed");
          options.exit(1);
        },
      );
  };
  options.signals.once("SIGTERM", () => shutdown("SIGTERM"));
  options.signals.once("SIGINT", () => shutdown("SIGINT"));
}
