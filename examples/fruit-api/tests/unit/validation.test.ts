import { describe, expect, it } from "vitest";
import { checkFruitInput, checkId, checkPage } from "../../src/fruits/validation.js";

describe("checkFruitInput", () => {
  it("accepts name and color, trims them, and defaults origin to null", () => {
    expect(checkFruitInput({ name: " Fig ", color: "purple" })).toEqual({ ok: true, value: { name: "Fig", color: "purple", origin: null } });
    expect(checkFruitInput({ name: "Fig", color: "purple", origin: null })).toMatchObject({ ok: true, value: { origin: null } });
    expect(checkFruitInput({ name: "Fig", color: "purple", origin: "Turkey" })).toMatchObject({ ok: true, value: { origin: "Turkey" } });
  });

  it("reports every problem at once", () => {
    expect(checkFruitInput({ name: "", color: 7, origin: "x".repeat(101), extra: true })).toEqual({
      ok: false,
      problems: [
        { field: "extra", message: "unknown field; allowed fields are name, color and origin" },
        { field: "name", message: "must not be empty" },
        { field: "color", message: "expected a string, got number" },
        { field: "origin", message: "must be at most 100 characters, got 101" },
      ],
    });
  });

  it.each([null, [], "Apple", 3])("refuses a body that is not an object: %o", (body) => {
    expect(checkFruitInput(body)).toEqual({ ok: false, problems: [{ field: "body", message: "expected a JSON object with name and color" }] });
  });

  it("refuses names longer than the column allows", () => {
    expect(checkFruitInput({ name: "n".repeat(100), color: "c" }).ok).toBe(true);
    expect(checkFruitInput({ name: "n".repeat(101), color: "c" }).ok).toBe(false);
  });
});

describe("checkId", () => {
  it.each(["1", "42", "2147483647"])("accepts %s", (raw) => {
    expect(checkId(raw)).toEqual({ ok: true, value: Number(raw) });
  });
  it.each(["0", "-1", "01", "1.5", "abc", "2147483648", "99999999999"])("refuses %s", (raw) => {
    expect(checkId(raw).ok).toBe(false);
  });
});

describe("checkPage", () => {
  it("defaults to the first 50", () => {
    expect(checkPage({})).toEqual({ ok: true, value: { limit: 50, offset: 0 } });
  });
  it("refuses out-of-range and repeated parameters", () => {
    expect(checkPage({ limit: "101" }).ok).toBe(false);
    expect(checkPage({ offset: "-1" }).ok).toBe(false);
    expect(checkPage({ limit: ["1", "2"] }).ok).toBe(false);
  });
});
