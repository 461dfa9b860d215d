// Level 4 (fixture unit test): how test/support/moto.ts recognises moto_server's version, with
// stand-in scripts on PATH (a console script whose `#!` interpreter reports a moto version).
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MOTO_VERSION, motoClientConfig, motoEnvironment, resolveMoto } from "./moto.js";

describe("resolveMoto", () => {
  let dir: string;
  let savedPath: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "dpra-moto-"));
    savedPath = process.env.PATH;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A moto_server console script whose interpreter prints `version` for the metadata query. */
  const standIn = (version: string) => {
    const python = path.join(dir, "python3");
    writeFileSync(python, `#!/bin/sh\necho ${version}\n`);
    writeFileSync(path.join(dir, "moto_server"), `#!${python}\nimport sys\n`);
    chmodSync(python, 0o755);
    chmodSync(path.join(dir, "moto_server"), 0o755);
    process.env.PATH = `${dir}${path.delimiter}/usr/bin${path.delimiter}/bin`;
  };

  it(`accepts moto ${MOTO_VERSION}, read from its interpreter's package metadata`, () => {
    standIn(MOTO_VERSION);
    expect(resolveMoto()).toEqual({ ok: true, tool: { name: "moto", bin: path.join(dir, "moto_server"), version: MOTO_VERSION } });
  });

  it("refuses another moto version, naming both versions and how to install the pinned one", () => {
    standIn("5.1.4");
    const found = resolveMoto();
    expect(found.ok).toBe(false);
    expect(found.ok ? "" : found.reason).toBe(
      `moto_server (${path.join(dir, "moto_server")}) is moto 5.1.4; these tests are written against moto ${MOTO_VERSION}, whose gaps docs/aws-tests.md lists (pip install 'moto[server]==${MOTO_VERSION}')`,
    );
  });

  it("says so when moto_server is not on PATH", () => {
    process.env.PATH = dir;
    const found = resolveMoto();
    expect(found.ok ? "" : found.reason).toBe(`moto_server is not on PATH (install it: pip install 'moto[server]==${MOTO_VERSION}')`);
  });

  it("gives SDK clients the endpoint, a region, static test credentials and one attempt", () => {
    expect(motoClientConfig({ endpoint: "http://127.0.0.1:5000" }, "eu-central-1")).toEqual({
      endpoint: "http://127.0.0.1:5000",
      region: "eu-central-1",
      credentials: { accessKeyId: "moto-test-access-key", secretAccessKey: "moto-test-secret-key" },
      maxAttempts: 1,
    });
  });

  it("gives child processes the SDK's standard variables for the same endpoint and credentials", () => {
    expect(motoEnvironment({ endpoint: "http://127.0.0.1:5000" }, "us-east-1")).toEqual({
      AWS_ENDPOINT_URL: "http://127.0.0.1:5000",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "moto-test-access-key",
      AWS_SECRET_ACCESS_KEY: "moto-test-secret-key",
      AWS_MAX_ATTEMPTS: "1",
    });
  });
});
