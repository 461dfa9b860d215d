// The install marker, `.tools/markers/<tool>.json`: what `tools:install` last installed for a tool,
// and the version it verified. A second install run whose marker matches the catalog's install spec,
// and whose binary still prints the pinned version, does nothing. `dpra scan` reads the verified
// version from it instead of starting the tool once more for `--version` (for cfn-lint a Python
// start, about 0.5 s of CPU), as long as the binary is the very file that was verified.
import { existsSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { ToolPin } from "./catalog.js";

const Identity = z.object({ file: z.string(), size: z.number(), mtimeMs: z.number() });
const Marker = z.object({ spec: z.string(), bin: z.string(), version: z.string().optional(), identity: Identity.optional() });
export type InstallMarker = z.infer<typeof Marker>;
type BinaryIdentity = z.infer<typeof Identity>;

/** The install spec as a stable string: a change of version, ldflags or env means reinstall. */
export function installSpec(pin: ToolPin): string {
  return JSON.stringify(pin.install);
}

/** The file a binary resolves to, with its size and modification time; undefined when it is gone. */
export function binaryIdentity(bin: string): BinaryIdentity | undefined {
  try {
    const file = realpathSync(bin);
    const st = statSync(file);
    return { file, size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return undefined;
  }
}

export function readMarker(markers: string, name: string): InstallMarker | undefined {
  const file = path.join(markers, `${name}.json`);
  if (!existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
  const parsed = Marker.safeParse(json);
  // A marker from another layout (or a torn write) is treated as absent: the tool is installed again.
  return parsed.success ? parsed.data : undefined;
}

export function writeMarker(markers: string, name: string, marker: InstallMarker): void {
  writeFileSync(path.join(markers, `${name}.json`), `${JSON.stringify(marker, null, 2)}\n`);
}

/**
 * The version the installer verified for `bin`, when `bin` is a tools folder's `bin/<name>` whose
 * marker names it and the file it resolves to is unchanged since (same path, size and mtime);
 * otherwise undefined, and the caller asks the binary itself.
 */
export function verifiedVersion(name: string, bin: string): string | undefined {
  const marker = readMarker(path.join(path.dirname(path.dirname(bin)), "markers"), name);
  if (!marker?.version || !marker.identity || path.resolve(marker.bin) !== path.resolve(bin)) return undefined;
  const now = binaryIdentity(bin);
  const was = marker.identity;
  return now && now.file === was.file && now.size === was.size && now.mtimeMs === was.mtimeMs ? marker.version : undefined;
}
