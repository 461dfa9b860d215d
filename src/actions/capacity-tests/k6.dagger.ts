import { dag, ReturnType, type Container, type Directory } from "@dagger.io/dagger";

/**
 * grafana/k6 1.4.2, pinned by the digest go-vela/vela-k6 pins in its Dockerfile (Renovate-managed).
 * The image is Alpine with user 12345 (k6) and workdir /home/k6.
 */
export const K6_IMAGE = "grafana/k6:1.4.2@sha256:3656673de3f30424e8ebcfa46acd9558d83b6a43612d0f668ffeac953950c6c7";

/** Files written in /tmp: the k6 user cannot write into the mounted source. */
export const K6_SUMMARY = "/tmp/dpra-k6-summary.json";
export const K6_POINTS = "/tmp/dpra-k6-points.ndjson";
export const K6_REQUEST_POINTS = "/tmp/dpra-k6-request-points.ndjson";
const SOURCE_DIR = "/src";

/** Exit code k6 uses when the script's own thresholds failed: the run itself is complete. */
export const K6_THRESHOLDS_FAILED = 99;

export interface K6RunOptions {
  /** Script path relative to the source. */
  script: string;
  /** Base URL of the environment under test; the script reads it as `__ENV.BASE_URL`. */
  endpoint: string;
  /** Also write every request sample (for the chaos test's time windows). */
  points?: boolean;
}

/** The k6 command line: the summary export always, the per-sample JSON output when asked. */
export function k6Args(opts: K6RunOptions): string[] {
  return ["k6", "run", "--no-color", `--summary-export=${K6_SUMMARY}`, ...(opts.points ? ["--out", `json=${K6_POINTS}`] : []), `${SOURCE_DIR}/${opts.script}`];
}

/** The k6 container, run against the endpoint, with any exit code accepted (evaluated afterwards). */
export function k6Run(source: Directory, opts: K6RunOptions, runId?: string): Container {
  let c = dag
    .container()
    .from(K6_IMAGE)
    .withMountedDirectory(SOURCE_DIR, source)
    .withWorkdir(SOURCE_DIR)
    .withEnvVariable("BASE_URL", opts.endpoint)
    .withEnvVariable("K6_NO_USAGE_REPORT", "true");
  // A load test is a measurement at a point in time: a run ID keeps Dagger from reusing a cached result.
  if (runId) c = c.withEnvVariable("DPRA_RUN_ID", runId);
  return c.withExec(k6Args(opts), { expect: ReturnType.Any });
}

export interface K6Output {
  exitCode: number;
  summary: string;
  /** Request samples only (http_req_duration and http_req_failed lines), when points were asked for. */
  points?: string;
}

/** Collects k6's outputs; fails with k6's own error output when the run did not complete. */
export async function collectK6(ran: Container, opts: K6RunOptions): Promise<K6Output> {
  const exitCode = await ran.exitCode();
  if (exitCode !== 0 && exitCode !== K6_THRESHOLDS_FAILED) {
    const stderr = (await ran.stderr()).trim().split("\n").slice(-20).join("\n");
    throw new Error(`k6 exited with ${exitCode} before finishing the test against ${opts.endpoint}:\n${stderr}`);
  }
  const summary = await ran.file(K6_SUMMARY).contents();
  let points: string | undefined;
  if (opts.points) {
    // Keep only the two request metrics: the full output has a dozen lines per request.
    points = await ran
      .withExec(["sh", "-c", `grep -E '"metric":"http_req_(duration|failed)"' ${K6_POINTS} > ${K6_REQUEST_POINTS} || true`])
      .file(K6_REQUEST_POINTS)
      .contents();
  }
  return { exitCode, summary, points };
}
