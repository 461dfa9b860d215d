// Level 4 (pure core, with a stand-in binary): tools:install's idempotence. A matching marker and a
// binary that prints the pin mean nothing is installed again; any mismatch means a reinstall.
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ToolPin } from "../../src/tools/catalog.js";
import { installTool } from "../../scripts/tools-install.js";
import { toolsLayout } from "../../scripts/tools/layout.js";
import { installSpec, writeMarker } from "../../src/tools/install-marker.js";

// A Go module that does not exist: reaching the installer fails fast and says so.
const pin: ToolPin = {
  name: "faketool",
  version: "1.2.3",
  image: "example/faketool:1.2.3@sha256:" + "0".repeat(64),
  install: { kind: "go", pkg: "example.invalid/faketool", version: "v1.2.3" },
  versionArgs: ["--version"],
};

function fakeBinary(dir: string, prints: string): string {
  const bin = path.join(dir, "faketool");
  writeFileSync(bin, `#!/bin/sh\necho "faketool version ${prints}"\n`);
  chmodSync(bin, 0o755);
  return bin;
}

describe("tools:install idempotence", () => {
  it("does nothing when the marker matches the install spec and the binary prints the pin", async () => {
    const layout = toolsLayout(mkdtempSync(path.join(tmpdir(), "dpra-tools-")));
    const bin = fakeBinary(layout.bin, "1.2.3");
    writeMarker(layout.markers, pin.name, { spec: installSpec(pin), bin });
    await expect(installTool(pin, layout)).resolves.toEqual({ name: "faketool", pinned: "1.2.3", ok: true, installed: "1.2.3", bin, fresh: false });
  });

  it("installs again when the binary prints another version, and reports why it could not", async () => {
    const layout = toolsLayout(mkdtempSync(path.join(tmpdir(), "dpra-tools-")));
    const bin = fakeBinary(layout.bin, "1.2.2");
    writeMarker(layout.markers, pin.name, { spec: installSpec(pin), bin });
    const result = await installTool(pin, layout);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/go install -trimpath failed|Go is not installed/);
  }, 60_000);

  it("installs again when the catalog's install spec changed since the marker was written", async () => {
    const layout = toolsLayout(mkdtempSync(path.join(tmpdir(), "dpra-tools-")));
    const bin = fakeBinary(layout.bin, "1.2.3");
    writeMarker(layout.markers, pin.name, { spec: installSpec({ ...pin, install: { ...pin.install, version: "v1.2.2" } }), bin });
    expect((await installTool(pin, layout)).ok).toBe(false);
  }, 60_000);
});
