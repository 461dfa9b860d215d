// A suite that needs a real Chromium, named `real: chromium <version>` so the root's
// test/support/real-reporter.ts tallies it. It mirrors the root's describeReal (which this example
// cannot import): under CI=true a missing Chromium fails the run; locally the suite is skipped and
// says why.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, it } from "vitest";

export interface RealChromium {
  /** Absolute path of the Chromium binary that runs. */
  bin: string;
  /** The version the binary prints, e.g. 156.0.8078.129. */
  version: string;
}

type Found = { ok: true; chromium: RealChromium } | { ok: false; reason: string };

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Where the official Playwright image (the Beta recipe's E2E container) unpacks its browsers. */
const PLAYWRIGHT_IMAGE_BROWSERS = "/ms-playwright";

/** A Chromium unpacked by Playwright: under PLAYWRIGHT_BROWSERS_PATH, or the Playwright image's folder. */
function inPlaywrightBrowsers(): string | undefined {
  const root = process.env.PLAYWRIGHT_BROWSERS_PATH?.trim() || PLAYWRIGHT_IMAGE_BROWSERS;
  if (!existsSync(root)) return undefined;
  for (const entry of readdirSync(root).filter((e) => /^chromium-\d+$/.test(e)).sort().reverse()) {
    for (const sub of ["chrome-linux64", "chrome-linux"]) {
      const candidate = path.join(root, entry, sub, "chrome");
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** CHROMIUM_BIN, else `chromium` on PATH, else Playwright's unpacked Chromium; with the version it prints. */
export function findChromium(): Found {
  const given = process.env.CHROMIUM_BIN?.trim();
  if (given && !existsSync(given)) return { ok: false, reason: `CHROMIUM_BIN names ${given}, which does not exist; unset it or point it at a Chromium binary` };
  const bin = given || onPath("chromium") || inPlaywrightBrowsers();
  if (!bin) return { ok: false, reason: "no Chromium found: set CHROMIUM_BIN, put chromium on PATH (apt-get install chromium) or run in the Playwright image (/ms-playwright)" };
  const out = spawnSync(bin, ["--version"], { encoding: "utf8", timeout: 30_000 });
  const version = /(\d+\.\d+\.\d+\.\d+)/.exec(`${out.stdout ?? ""}${out.stderr ?? ""}`)?.[1];
  if (!version) return { ok: false, reason: `${bin} --version printed no version (exit ${out.status ?? out.signal}): ${(out.stderr ?? "").trim().slice(0, 200)}` };
  return { ok: true, chromium: { bin, version } };
}

/** `describe("real: chromium <version>")`, failing under CI=true and skipping locally when Chromium is missing. */
export function describeChromium(body: (chromium: RealChromium) => void): void {
  const found = findChromium();
  if (found.ok) {
    describe(`real: chromium ${found.chromium.version}`, () => body(found.chromium));
    return;
  }
  if (process.env.CI === "true") {
    describe("real: chromium", () => {
      it("is available in CI", () => {
        throw new Error(`chromium is required under CI=true: ${found.reason}`);
      });
    });
    return;
  }
  process.stderr.write(`real: chromium skipped: ${found.reason}\n`);
  describe.skip(`real: chromium (skipped: ${found.reason})`, () => body({ bin: "(unavailable)", version: "" }));
}
