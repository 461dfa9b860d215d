import { describe, expect, it } from "vitest";
import { errorMessage, errorText } from "../src/errors.js";

describe("errorMessage and errorText", () => {
  it("read an Error's message, with its name for errorText", () => {
    const err = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    expect(errorMessage(err)).toBe("Rate exceeded");
    expect(errorText(err)).toBe("ThrottlingException: Rate exceeded");
  });

  it("write any other thrown value as String() does", () => {
    for (const value of ["plain text", 42, undefined, null, { code: "X" }]) {
      expect(errorMessage(value)).toBe(String(value));
      expect(errorText(value)).toBe(String(value));
    }
  });
});
