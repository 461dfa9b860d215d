import { DescribeRuntimeVersionsCommand, SyntheticsClient } from "@aws-sdk/client-synthetics";
import { mockAws } from "../../support/aws-mock.js";
import { describe, expect, it } from "vitest";
import { listRuntimeVersions, pickRuntimeVersion } from "../../../src/aws/synthetics/runtime.js";

const now = new Date("2026-01-15T00:00:00Z");
const versions = [
  { VersionName: "syn-nodejs-puppeteer-6.2", ReleaseDate: new Date("2023-08-01"), DeprecationDate: new Date("2025-03-08") },
  { VersionName: "syn-nodejs-puppeteer-9.1", ReleaseDate: new Date("2025-01-20") },
  { VersionName: "syn-nodejs-puppeteer-10.0", ReleaseDate: new Date("2025-06-01"), DeprecationDate: new Date("2027-01-01") },
  { VersionName: "syn-nodejs-playwright-2.0", ReleaseDate: new Date("2025-04-01") },
  { VersionName: "syn-python-selenium-5.1", ReleaseDate: new Date("2025-07-01") },
];

describe("pickRuntimeVersion", () => {
  it("picks the highest non-deprecated version of the family (a future deprecation date still counts as usable)", () => {
    expect(pickRuntimeVersion(versions, "syn-nodejs-puppeteer", now)).toBe("syn-nodejs-puppeteer-10.0");
    expect(pickRuntimeVersion(versions, "syn-nodejs-playwright", now)).toBe("syn-nodejs-playwright-2.0");
  });

  it("compares version numbers numerically, not as text", () => {
    const v = [
      { VersionName: "syn-nodejs-puppeteer-9.1", ReleaseDate: new Date("2025-01-01") },
      { VersionName: "syn-nodejs-puppeteer-10.0", ReleaseDate: new Date("2025-01-01") },
    ];
    expect(pickRuntimeVersion(v, "syn-nodejs-puppeteer", now)).toBe("syn-nodejs-puppeteer-10.0");
  });

  it("accepts a pinned version that is not deprecated and refuses deprecated or unknown pins", () => {
    expect(pickRuntimeVersion(versions, "syn-nodejs-puppeteer", now, "syn-nodejs-puppeteer-9.1")).toBe("syn-nodejs-puppeteer-9.1");
    expect(() => pickRuntimeVersion(versions, "syn-nodejs-puppeteer", now, "syn-nodejs-puppeteer-6.2")).toThrow(/deprecated on 2025-03-08; pin a newer version/);
    expect(() => pickRuntimeVersion(versions, "syn-nodejs-puppeteer", now, "syn-nodejs-puppeteer-99.0")).toThrow(/not offered/);
  });

  it("fails clearly when the family has only deprecated versions", () => {
    expect(() => pickRuntimeVersion(versions.slice(0, 1), "syn-nodejs-puppeteer", now)).toThrow(/no non-deprecated syn-nodejs-puppeteer-\*/);
  });
});

describe("listRuntimeVersions", () => {
  it("reads every page", async () => {
    const mock = mockAws(SyntheticsClient);
    mock
      .on(DescribeRuntimeVersionsCommand)
      .resolvesOnce({ RuntimeVersions: versions.slice(0, 2), NextToken: "t1" })
      .resolves({ RuntimeVersions: versions.slice(2) });
    const all = await listRuntimeVersions(new SyntheticsClient({ region: "eu-west-1" }));
    expect(all.map((v) => v.VersionName)).toEqual(versions.map((v) => v.VersionName));
    expect(mock.commandCalls(DescribeRuntimeVersionsCommand)[1]?.args[0].input).toEqual({ NextToken: "t1" });
    mock.restore();
  });
});
