import { ConfigError, loadConfig } from "./config.js";
import { installShutdown } from "./lifecycle.js";
import { startServer } from "./server.js";

// Entry point of the container image: `node dist/main.js`.
async function main(): Promise<void> {
  const config = loadConfig();
  const running = await startServer(config, {
    onSecretRefreshError: (error) => running.app.server.log.warn({ err: error }, "database secret refresh failed; keeping the last value"),
  });
  installShutdown(
    {
      startDraining: running.app.startDraining,
      closeServer: () => running.app.server.close(),
      closeDatabase: () => running.pool.end(),
    },
    { signals: process, graceMs: config.shutdownGraceMs, exit: (code) => process.exit(code), log: running.app.server.log },
  );
}

main().catch((error: unknown) => {
  // Logged as one JSON line, like every other log line, so that log queries find start-up failures too.
  const message = error instanceof ConfigError ? `configuration error: ${error.message}` : "start-up failed";
  console.error(JSON.stringify({ level: 60, time: Date.now(), msg: message, err: { type: (error as Error).name, message: (error as Error).message } }));
  process.exit(1);
});
