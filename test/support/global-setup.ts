// Runs once per `vitest run`, in the main process. The AWS SDK warns once per process that it will
// need Node 22 (NodeVersionSupportWarning, @aws-sdk/core); with one worker process per test file
// that was one copy per file. The workers run with the SDK's documented switch
// AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true (vitest.config.ts); this says it once.
export default function setup(): void {
  const major = Number(process.versions.node.split(".")[0]);
  // Each vitest project runs the global setup; one note per run is enough.
  if (major < 22 && process.env.DPRA_NODE_NOTE_SHOWN === undefined) {
    process.env.DPRA_NODE_NOTE_SHOWN = "1";
    process.stderr.write(
      `note: Node ${process.version}: AWS SDK for JavaScript v3 releases after the first week of January 2027 require Node 22 or later (its per-process warning is silenced in the test workers)\n`,
    );
  }
}
