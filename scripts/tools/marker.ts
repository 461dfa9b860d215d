// The install marker: what `tools:install` last installed for a tool. A second run whose marker
// matches the catalog's install spec, and whose binary still prints the pinned version, does nothing.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { ToolPin } from "../../src/tools/catalog.js";

const Marker = z.object({ spec: z.string(), bin: z.string() });
export type InstallMarker = z.infer<typeof Marker>;

/** The install spec as a stable string: a change of version, ldflags or env means reinstall. */
export function installSpec(pin: ToolPin): string {
  return JSON.stringify(pin.install);
}

export function readMarker(markers: string, name: string): InstallMarker | undefined {
  const file = path.join(markers, `${name}.json`);
  if (!existsSync(file)) return undefined;
  const parsed = Marker.safeParse(JSON.parse(readFileSync(file, "utf8")));
  // A marker from another layout is treated as absent: the tool is installed again.
  return parsed.success ? parsed.data : undefined;
}

export function writeMarker(markers: string, name: string, marker: InstallMarker): void {
  writeFileSync(path.join(markers, `${name}.json`), `${JSON.stringify(marker, null, 2)}\n`);
}
