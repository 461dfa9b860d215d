// npm run tools:install [-- --only a,b]: installs every tool of src/tools/catalog.ts at its pinned
// version into .tools/ with the registries' ordinary clients, idempotently, and prints one line per
// tool: `name pinned installed path`. A tool that cannot be installed is named with the reason; under
// CI=true that fails the run (nothing real is skipped in CI), elsewhere its real-tool tests skip.
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { TOOLS, TOOL_NAMES, type ToolName, type ToolPin } from "../src/tools/catalog.js";
import { readToolVersion } from "../src/tools/version.js";
import { InstallError, toolsLayout, type ToolsLayout } from "./tools/layout.js";
import { binaryIdentity, installSpec, readMarker, writeMarker } from "../src/tools/install-marker.js";

type Installer = (pin: ToolPin, layout: ToolsLayout) => Promise<{ bin: string }>;

/** One installer per install kind, each in its own module, loaded only when a tool needs it. */
async function installerFor(kind: ToolPin["install"]["kind"]): Promise<Installer> {
  switch (kind) {
    case "go":
      return (await import("./tools/install-go.js")).installGo;
    case "pip":
      return (await import("./tools/install-pip.js")).installPip;
    case "npm":
      return (await import("./tools/install-npm.js")).installNpm;
    case "maven":
      return (await import("./tools/install-maven.js")).installMaven;
  }
}

export type InstallResult =
  { name: string; pinned: string; ok: true; installed: string; bin: string; fresh: boolean } | { name: string; pinned: string; ok: false; reason: string };

/** Go builds use every core, so they run one after another; the other kinds run beside them. */
function serialFor(kind: string): (job: () => Promise<InstallResult>) => Promise<InstallResult> {
  if (kind !== "go") return (job) => job();
  let tail: Promise<unknown> = Promise.resolve();
  return (job) => {
    const run = tail.then(job, job);
    tail = run.catch(() => undefined);
    return run;
  };
}

export async function installTool(pin: ToolPin, layout: ToolsLayout): Promise<InstallResult> {
  const base = { name: pin.name, pinned: pin.version };
  const marker = readMarker(layout.markers, pin.name);
  if (marker && marker.spec === installSpec(pin)) {
    const installed = await readToolVersion(marker.bin, pin);
    if (installed === pin.version) {
      // Re-verified: refresh what the marker records, so `dpra scan` can trust it without a probe.
      writeMarker(layout.markers, pin.name, { spec: marker.spec, bin: marker.bin, version: installed, identity: binaryIdentity(marker.bin) });
      return { ...base, ok: true, installed, bin: marker.bin, fresh: false };
    }
  }
  try {
    rmSync(path.join(layout.logs, `${pin.name}.log`), { force: true });
    const { bin } = await (await installerFor(pin.install.kind))(pin, layout);
    const installed = await readToolVersion(bin, pin);
    if (installed !== pin.version) {
      return { ...base, ok: false, reason: `installed, but ${bin} prints version ${installed ?? "(none)"}, not the pinned ${pin.version}` };
    }
    writeMarker(layout.markers, pin.name, { spec: installSpec(pin), bin, version: installed, identity: binaryIdentity(bin) });
    return { ...base, ok: true, installed, bin, fresh: true };
  } catch (err) {
    if (err instanceof InstallError) return { ...base, ok: false, reason: err.message };
    throw err;
  }
}

export async function installTools(names: readonly ToolName[], layout: ToolsLayout): Promise<InstallResult[]> {
  const lanes = new Map<string, ReturnType<typeof serialFor>>();
  return Promise.all(
    names.map((name) => {
      const pin: ToolPin = TOOLS[name];
      const lane = lanes.get(pin.install.kind) ?? serialFor(pin.install.kind);
      lanes.set(pin.install.kind, lane);
      return lane(() => installTool(pin, layout));
    }),
  );
}

function parseOnly(value: string | undefined): ToolName[] {
  if (value === undefined) return TOOL_NAMES;
  const names = value
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(n in TOOLS));
  if (unknown.length > 0) throw new Error(`--only: unknown tool ${unknown.join(", ")} (known: ${TOOL_NAMES.join(", ")})`);
  return names as ToolName[];
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { only: { type: "string" } }, strict: true });
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const layout = toolsLayout(path.join(root, ".tools"));
  const results = await installTools(parseOnly(values.only), layout);
  for (const r of results) {
    const line = r.ok ? `${r.name} ${r.pinned} ${r.installed} ${path.relative(root, r.bin)}` : `${r.name} ${r.pinned} - not installed: ${r.reason}`;
    process.stdout.write(`${line}\n`);
  }
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) return 0;
  const names = failed.map((r) => r.name).join(", ");
  if (process.env.CI === "true") {
    process.stderr.write(`tools:install: ${names} could not be installed; under CI=true every real tool is required\n`);
    return 1;
  }
  process.stderr.write(`tools:install: ${names} not installed; their real-tool tests will be skipped here (they are required under CI=true)\n`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`tools:install: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
