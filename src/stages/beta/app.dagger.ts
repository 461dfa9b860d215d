// The application as a Beta service, run from the exact Container the build produced: only
// runtime settings (env, bindings, a log mount) are added on top; nothing is rebuilt.
import { createHash } from "node:crypto";
import { dag, ReturnType, type CacheVolume, type Container, type Service } from "@dagger.io/dagger";
import { withDatabase, type BetaDatabase } from "./database.dagger.js";
import { PROBE_IMAGE } from "./images.js";
import { notReadyMessage, parseProbeOutput, PROBE_SCRIPT, type Readiness } from "./readiness.js";

/** Hostname under which the app service is bound into test containers. */
export const APP_HOST = "app";
const LOG_DIR = "/dpra/logs";
const LOG_FILE = `${LOG_DIR}/app.log`;
const LOG_LINES = 50;

export interface AppServiceOptions {
  /** The packaged image from the build stage. */
  image: Container;
  port: number;
  /** Plain env vars from `environments.beta.env`. */
  env: Record<string, string>;
  db?: BetaDatabase;
  /**
   * Fingerprint of the DB deploy that ran before the app. Setting it on the app's container makes
   * the app's definition depend on the completed migration, so the app can never start first.
   */
  migrated?: string;
  /** Shared with the readiness probe, which prints the app's last lines when it is not healthy. */
  logs: CacheVolume;
  runId: string;
}

/** A stable fingerprint of a finished DB deploy. */
export function migrationFingerprint(report: unknown): string {
  return createHash("sha256").update(JSON.stringify(report)).digest("hex").slice(0, 16);
}

/** The app container with its runtime settings, and the service that runs its own command. */
export async function appService(o: AppServiceOptions): Promise<{ container: Container; service: Service }> {
  const [entrypoint, defaultArgs, user] = await Promise.all([o.image.entrypoint(), o.image.defaultArgs(), o.image.user()]);
  const command = [...(entrypoint ?? []), ...(defaultArgs ?? [])];
  if (command.length === 0) {
    throw new Error("the packaged image has no ENTRYPOINT or CMD: set one in the Dockerfile so that Beta can start the app");
  }
  let container = o.image;
  if (o.db) container = withDatabase(container, o.db);
  if (o.migrated) container = container.withEnvVariable("DPRA_MIGRATED", o.migrated);
  if (o.env.PORT === undefined) container = container.withEnvVariable("PORT", String(o.port));
  for (const [name, value] of Object.entries(o.env)) container = container.withEnvVariable(name, value);
  container = container
    .withEnvVariable("DPRA_RUN_ID", o.runId)
    .withMountedCache(LOG_DIR, o.logs, user ? { owner: user } : {})
    // Readiness is judged by the probe on the health endpoint, not by the port opening.
    .withExposedPort(o.port, { experimentalSkipHealthcheck: true });
  // The app's own command, its output also appended to a log the probe can read (needs /bin/sh).
  const service = container.asService({ args: ["sh", "-c", `"$@" 2>&1 | tee -a ${LOG_FILE}`, "app", ...command] });
  return { container, service };
}

/** Polls the health endpoint from a probe container bound to the app; throws with the app's last log lines. */
export async function waitUntilReady(
  service: Service,
  o: { port: number; healthPath: string; timeoutSeconds: number; logs: CacheVolume; runId: string },
): Promise<Extract<Readiness, { ready: true }> & { url: string }> {
  const url = `http://${APP_HOST}:${o.port}${o.healthPath}`;
  const probe = dag
    .container()
    .from(PROBE_IMAGE)
    .withServiceBinding(APP_HOST, service)
    .withMountedCache(LOG_DIR, o.logs)
    .withEnvVariable("DPRA_RUN_ID", o.runId)
    .withExec(["sh", "-c", PROBE_SCRIPT, "probe", url, String(o.timeoutSeconds), LOG_FILE, String(LOG_LINES)], {
      expect: ReturnType.Any,
    });
  const [stdout, exitCode] = await Promise.all([probe.stdout(), probe.exitCode()]);
  const readiness = parseProbeOutput(stdout, exitCode);
  if (!readiness.ready) throw new Error(notReadyMessage(url, o.timeoutSeconds, readiness));
  return { ...readiness, url };
}
