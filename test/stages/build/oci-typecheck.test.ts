import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ociLabels } from "../../../src/stages/build/oci.js";
import { typecheckFindings } from "../../../src/stages/build/typecheck.js";

describe("OCI labels", () => {
  it("records created, source, revision and title under org.opencontainers.image", () => {
    expect(ociLabels({ created: "2026-01-31T12:00:00Z", source: "https://github.com/acme/fruit-api", revision: "0123abcd", title: "fruit-api" })).toEqual([
      ["org.opencontainers.image.created", "2026-01-31T12:00:00Z"],
      ["org.opencontainers.image.source", "https://github.com/acme/fruit-api"],
      ["org.opencontainers.image.revision", "0123abcd"],
      ["org.opencontainers.image.title", "fruit-api"],
    ]);
  });

  it("omits what is unknown and rejects values that would mislabel the image", () => {
    expect(ociLabels({ created: "2026-01-31T12:00:00+02:00" })).toHaveLength(1);
    expect(() => ociLabels({ created: "yesterday" })).toThrow(/not an RFC 3339 time/);
    expect(() => ociLabels({ created: "2026-01-31T12:00:00Z", revision: "main" })).toThrow(/not a commit hash/);
  });
});

const tscOutput = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

describe("type check findings (real tsc 6.0.3 output)", () => {
  const expected = [
    ["TS2322", "src/app.ts", 1, "high", "quality"],
    ["TS2339", "src/app.ts", 3, "high", "quality"],
    ["TS2304", "src/app.ts", 5, "high", "quality"],
  ];
  const rows = (out: string, code: number) =>
    typecheckFindings(out, code, "tsc --noEmit").findings.map((f) => [f.rule, f.location.path, f.location.startLine, f.severity, f.category]);

  it("reads the plain diagnostics", () => {
    expect(rows(tscOutput("tsc-6.0.3-plain.txt"), 2)).toEqual(expected);
  });

  it("reads the pretty, coloured diagnostics a typecheck script prints, with the same fingerprints", () => {
    expect(rows(tscOutput("tsc-6.0.3-pretty.txt"), 2)).toEqual(expected);
    const fp = (name: string) => typecheckFindings(tscOutput(name), 2, "tsc").findings.map((f) => f.fingerprint);
    expect(fp("tsc-6.0.3-pretty.txt")).toEqual(fp("tsc-6.0.3-plain.txt"));
    expect(new Set(fp("tsc-6.0.3-plain.txt")).size).toBe(3);
  });

  it("reads a diagnostic without a location", () => {
    expect(rows(tscOutput("tsc-6.0.3-missing-project.txt"), 1)).toEqual([["TS5058", undefined, undefined, "high", "quality"]]);
  });

  it("turns a failed type check without readable diagnostics into one blocking finding", () => {
    const set = typecheckFindings("sh: tsc: not found", 127, "npx --no-install tsc --noEmit");
    expect(set.findings).toHaveLength(1);
    expect(set.findings[0]).toMatchObject({ rule: "typecheck-failed", severity: "high" });
    expect(set.findings[0]!.message).toContain("exited 127");
    expect(set.findings[0]!.message).toContain("tsc: not found");
  });

  it("yields nothing for a clean run", () => {
    expect(typecheckFindings("", 0, "tsc").findings).toEqual([]);
  });
});
