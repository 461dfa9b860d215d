import { describe, expect, it } from "vitest";
import { DIGEST, trailingDigest } from "../src/digest.js";

const HEX = "0123456789abcdef".repeat(4);

describe("the image digest pattern", () => {
  it("accepts sha256 and 64 lowercase hex digits, nothing else", () => {
    expect(DIGEST.test(`sha256:${HEX}`)).toBe(true);
    expect(DIGEST.test(`sha256:${HEX.toUpperCase()}`)).toBe(false);
    expect(DIGEST.test(`sha256:${HEX.slice(1)}`)).toBe(false);
    expect(DIGEST.test(`sha512:${HEX}`)).toBe(false);
    expect(DIGEST.test(`x@sha256:${HEX}`)).toBe(false);
  });

  it("reads the digest a reference ends in, and nothing from a tag", () => {
    expect(trailingDigest(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v1@sha256:${HEX}`)).toBe(`sha256:${HEX}`);
    expect(trailingDigest("registry/app:v1")).toBeUndefined();
    expect(trailingDigest(`registry/app@sha256:${HEX} `)).toBeUndefined();
  });
});
