// Readiness of the app service: a probe polls the health endpoint until it answers 2xx or the
// timeout passes, then prints the app's last log lines. The script and the parsing of its output
// are pure, so both are unit-tested; the Dagger side only runs the script.

import { redactUrlCredentials } from "../../actions/db-deploy/tools.js";

export const READY_MARK = "DPRA_READY";
export const NOT_READY_MARK = "DPRA_NOT_READY";
export const LOG_BEGIN = "DPRA_APP_LOG_BEGIN";
export const LOG_END = "DPRA_APP_LOG_END";

/**
 * POSIX sh, run as `sh -c <script> probe <url> <timeoutSeconds> <logFile> <logLines>`. Exit 0 when
 * ready; exit 1 after the timeout, with the last log lines between the two marks.
 */
export const PROBE_SCRIPT = `url="$1"; timeout="$2"; log="$3"; lines="$4"
start=$(date +%s); code=none
while :; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" || true)
  elapsed=$(( $(date +%s) - start ))
  case "$code" in 2??) echo "${READY_MARK} $code \${elapsed}s"; exit 0;; esac
  if [ "$elapsed" -ge "$timeout" ]; then
    echo "${NOT_READY_MARK} \${code:-none} \${elapsed}s"
    echo "${LOG_BEGIN}"; tail -n "$lines" "$log" 2>/dev/null || echo "(the app wrote no log)"; echo "${LOG_END}"
    exit 1
  fi
  sleep 1
done`;

export type Readiness = { ready: true; status: string; seconds: number } | { ready: false; lastStatus: string; seconds: number; logLines: string[] };

/** Reads the probe's output. Fails clearly when the probe itself did not run. */
export function parseProbeOutput(stdout: string, exitCode: number): Readiness {
  const lines = stdout.split("\n");
  const ready = lines.map((l) => new RegExp(`^${READY_MARK} (\\S+) (\\d+)s$`).exec(l.trim())).find(Boolean);
  if (ready && exitCode === 0) return { ready: true, status: ready[1]!, seconds: Number(ready[2]) };
  const notReady = lines.map((l) => new RegExp(`^${NOT_READY_MARK} (\\S+) (\\d+)s$`).exec(l.trim())).find(Boolean);
  if (!notReady) {
    throw new Error(`the readiness probe did not run (exit code ${exitCode}): ${stdout.trim().slice(0, 300) || "no output"}`);
  }
  const begin = lines.findIndex((l) => l.trim() === LOG_BEGIN);
  const end = lines.findIndex((l) => l.trim() === LOG_END);
  // The app's own log may echo a connection URL: mask its password before it reaches a report.
  const logLines = begin >= 0 && end > begin ? lines.slice(begin + 1, end).map(redactUrlCredentials) : [];
  return { ready: false, lastStatus: notReady[1]!, seconds: Number(notReady[2]), logLines };
}

/** The error a failed readiness check raises: endpoint, timeout, last status, and the app's own words. */
export function notReadyMessage(url: string, timeoutSeconds: number, r: Extract<Readiness, { ready: false }>): string {
  const status = r.lastStatus === "000" || r.lastStatus === "none" ? "no HTTP answer" : `last HTTP status ${r.lastStatus}`;
  const log = r.logLines.length > 0 ? r.logLines.join("\n") : "(the app wrote no log)";
  return `the app did not become healthy on ${url} within ${timeoutSeconds}s (${status}). Last ${r.logLines.length} log line(s) of the app:\n${log}`;
}
