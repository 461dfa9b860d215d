// Level 4 (pure core, with a stand-in binary): the version tools:install verified is reused by
// dpra scan's tool lookup only for the very file it verified; any change means asking the binary.
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { installTool } from "../../scripts/tools-install.js";
import { toolsLayout } from "../../scripts/tools/layout.js";
import type { ToolPin } from "../../src/tools/catalog.js";
import { hostToolAt } from "../../src/tools/host.js";
import { binaryIdentity, installSpec, readMarker, verifiedVersion, writeMarker } from "../../src/tools/install-marker.js";

const pin: ToolPin = {
  name: "faketool",
  version: "1.2.3",
  image: "example/faketool:1.2.3@sha256:" + "0".repeat(64),
  install: { kind: "go", pkg: "example.invalid/faketool", version: "v1.2.3" },
  versionArgs: ["--version"],
};

/** A binary that prints `prints` as its version and counts its runs in `<bin>.runs`. */
function countingBinary(dir: string, prints: string): string {
  const bin = path.join(dir, "faketool");
  writeFileSync(bin, `#!/bin/sh\necho run >> "$0.runs"\necho "faketool version ${prints}"\n`);
  chmodSync(bin, 0o755);
  return bin;
}

const runs = (bin: string): number => {
  try {
    return readFileSync(`${bin}.runs`, "utf8").split("\n").filter(Boolean).length;
  } catch {
    return 0;
  }
};

async function installed(): Promise<{ bin: string; markers: string }> {
  const layout = toolsLayout(mkdtempSync(path.join(tmpdir(), "dpra-marker-")));
  const bin = countingBinary(layout.bin, "1.2.3");
  writeMarker(layout.markers, pin.name, { spec: installSpec(pin), bin });
  expect((await installTool(pin, layout)).ok).toBe(true);
  return { bin, markers: layout.markers };
}

describe("the verified version in the install marker", () => {
  it("is recorded by tools:install and reused without starting the tool again", async () => {
    const { bin, markers } = await installed();
    expect(readMarker(markers, pin.name)).toMatchObject({ version: "1.2.3", identity: { size: expect.any(Number) } });
    const before = runs(bin);
    expect(before).toBe(1);
    // hostToolAt takes catalog names; the marker lookup itself is name-agnostic.
    expect(verifiedVersion(pin.name, bin)).toBe("1.2.3");
    expect(runs(bin)).toBe(before);
  });

  it("is ignored once the binary changed, and the binary's own version is read", async () => {
    const { bin } = await installed();
    appendFileSync(bin, "# upgraded in place\n");
    expect(verifiedVersion(pin.name, bin)).toBeUndefined();
    countingBinary(path.dirname(bin), "1.2.4");
    utimesSync(bin, new Date(), new Date(Date.now() + 5000));
    expect(verifiedVersion(pin.name, bin)).toBeUndefined();
  });

  it("is ignored for a binary the marker does not name", async () => {
    const { bin } = await installed();
    const other = path.join(path.dirname(bin), "elsewhere");
    writeFileSync(other, readFileSync(bin));
    expect(verifiedVersion(pin.name, other)).toBeUndefined();
  });

  it("gives dpra scan's lookup the version of a catalog tool in a tools folder, without a run", async () => {
    const layout = toolsLayout(mkdtempSync(path.join(tmpdir(), "dpra-marker-")));
    const bin = path.join(layout.bin, "gitleaks");
    writeFileSync(bin, `#!/bin/sh\necho run >> "$0.runs"\necho "8.0.0"\n`);
    chmodSync(bin, 0o755);
    writeMarker(layout.markers, "gitleaks", { spec: "{}", bin, version: "8.30.1", identity: binaryIdentity(bin) });
    expect((await hostToolAt("gitleaks", bin)).version).toBe("8.30.1");
    expect(runs(bin)).toBe(0);
  });

  it("is not consulted for a catalog tool outside a tools folder: the binary is asked", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dpra-path-"));
    const bin = path.join(dir, "gitleaks");
    writeFileSync(bin, `#!/bin/sh\necho run >> "$0.runs"\necho "8.0.0"\n`);
    chmodSync(bin, 0o755);
    const tool = await hostToolAt("gitleaks", bin);
    expect(tool.version).toBe("8.0.0");
    expect(runs(bin)).toBe(1);
  });
});
