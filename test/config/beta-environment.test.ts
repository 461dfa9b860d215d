import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";

describe("environments.beta", () => {
  it("takes plain env vars for the app service, with defaults for port, health path and timeout", () => {
    const c = parseConfig("environments:\n  beta:\n    env: { LOG_LEVEL: debug, FEATURE_X: 'on' }\n");
    expect(c.environments.beta).toEqual({ env: { LOG_LEVEL: "debug", FEATURE_X: "on" }, healthPath: "/health/ready", port: 8080, readyTimeoutSeconds: 60 });
  });

  it("refuses the variables dpra sets as secrets, and names that are not variable names", () => {
    expect(() => parseConfig("environments:\n  beta:\n    env: { DATABASE_URL: 'postgres://u:p@h/db' }\n")).toThrow(
      /environments\.beta\.env: dpra sets DATABASE_URL itself, as a secret, from the Beta database; remove it from environments\.beta\.env \(found a mapping\)/,
    );
    expect(() => parseConfig("environments:\n  beta:\n    env: { 'LOG-LEVEL': debug }\n")).toThrow(/"LOG-LEVEL" is not an environment variable name/);
  });
});

describe("environments.beta errors", () => {
  it("never echo the value of a refused variable (it may hold a password)", () => {
    let message = "";
    try {
      parseConfig("environments:\n  beta:\n    env: { PGPASSWORD: hunter2-secret }\n");
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/dpra sets PGPASSWORD itself/);
    expect(message).not.toContain("hunter2-secret");
  });
});
