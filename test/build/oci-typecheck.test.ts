import { describe, expect, it } from "vitest";
import { ociLabels } from "../../src/build/oci.js";
import { typecheckFindings } from "../../src/build/typecheck.js";

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

describe("type check findings", () => {
  it("reads plain and pretty tsc diagnostics, with and without colours", () => {
    const out = [
      "src/a.ts(12,5): error TS2322: Type 'string' is not assignable to type 'number'.",
      "\u001b[96msrc/b.ts\u001b[0m:\u001b[93m3\u001b[0m:\u001b[93m1\u001b[0m - \u001b[91merror\u001b[0m\u001b[90m TS2304: \u001b[0mCannot find name 'x'.",
      "",
      "error TS5083: Cannot read file '/src/tsconfig.base.json'.",
      "Found 3 errors.",
    ].join("\n");
    const set = typecheckFindings(out, 2, "tsc --noEmit");
    expect(set.findings.map((f) => [f.rule, f.location.path, f.location.startLine, f.severity, f.category])).toEqual([
      ["TS2322", "src/a.ts", 12, "high", "quality"],
      ["TS2304", "src/b.ts", 3, "high", "quality"],
      ["TS5083", undefined, undefined, "high", "quality"],
    ]);
    expect(new Set(set.findings.map((f) => f.fingerprint)).size).toBe(3);
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
