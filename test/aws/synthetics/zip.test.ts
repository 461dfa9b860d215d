import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { crc32, crc32Table, zipStore } from "../../../src/aws/synthetics/zip.js";
import { packageNodeCanary } from "../../../src/aws/synthetics/package.js";
import { readZip } from "./read-zip.js";

describe("crc32", () => {
  it("matches the standard check value and known strings", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
    expect(crc32(Buffer.from(""))).toBe(0);
    expect(crc32(Buffer.from("The quick brown fox jumps over the lazy dog"))).toBe(0x414fa339);
  });

  it("gives the same value from zlib.crc32 and from the table fallback (Node without zlib.crc32)", () => {
    const data = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31 + (i >> 8)) & 0xff));
    for (const d of [Buffer.from("123456789"), Buffer.alloc(0), data]) expect(crc32(d)).toBe(crc32Table(d));
    expect(crc32Table(Buffer.from("123456789"))).toBe(0xcbf43926);
  });
});

describe("zipStore", () => {
  it("writes stored entries that read back byte for byte with matching CRCs", () => {
    const script = "exports.handler = async () => 'ok';\n";
    const binary = new Uint8Array([0, 1, 2, 255, 254]);
    const zip = zipStore([
      { path: "nodejs/node_modules/canary.js", data: script },
      { path: "data.bin", data: binary },
    ]);
    const entries = readZip(zip);
    expect(entries.map((e) => e.name)).toEqual(["nodejs/node_modules/canary.js", "data.bin"]);
    expect(entries[0]?.data.toString("utf8")).toBe(script);
    expect([...(entries[1]?.data ?? [])]).toEqual([0, 1, 2, 255, 254]);
    for (const e of entries) {
      expect(e.method).toBe(0);
      expect(e.crc).toBe(crc32(e.data));
    }
  });

  it("is reproducible", () => {
    const a = zipStore([{ path: "a.js", data: "x" }]);
    const b = zipStore([{ path: "a.js", data: "x" }]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it("refuses escaping or duplicate paths", () => {
    expect(() => zipStore([{ path: "../a.js", data: "x" }])).toThrow(/relative/);
    expect(() => zipStore([{ path: "/a.js", data: "x" }])).toThrow(/relative/);
    expect(() =>
      zipStore([
        { path: "a.js", data: "x" },
        { path: "a.js", data: "y" },
      ]),
    ).toThrow(/twice/);
  });

  it.skipIf(!existsSync("/usr/bin/unzip"))("is accepted by Info-ZIP unzip -t and extracts the script", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dpra-zip-"));
    const file = path.join(dir, "canary.zip");
    writeFileSync(file, packageNodeCanary("canaries/main.js", "exports.handler = 1;\n", "main.handler", "syn-nodejs-puppeteer").zipFile);
    expect(execFileSync("unzip", ["-t", file], { encoding: "utf8" })).toMatch(/No errors detected/);
    expect(execFileSync("unzip", ["-p", file, "nodejs/node_modules/main.js"], { encoding: "utf8" })).toBe("exports.handler = 1;\n");
  });
});
