import { describe, expect, it } from "vitest";
import { loadCanary, type ApiRequest, type ApiResponse } from "../support/canary.js";

const canary = loadCanary();
const reply = (status: number, body: unknown = {}): ApiResponse => ({
  status: () => status,
  json: async () => body,
  text: async () => JSON.stringify(body),
});
const runSteps = async (_name: string, fn: () => Promise<void>) => fn();

describe("canary workflow", () => {
  it("fails the step with the request and status, and still deletes what it created", async () => {
    const calls: string[] = [];
    const request: ApiRequest = {
      get: async (url) => {
        calls.push(`GET ${url}`);
        return url.endsWith("/health/ready") ? reply(200) : reply(500, { error: "Internal Server Error" });
      },
      post: async (url) => {
        calls.push(`POST ${url}`);
        return reply(201, { id: 7 });
      },
      delete: async (url) => {
        calls.push(`DELETE ${url}`);
        return reply(204);
      },
    };
    await expect(canary.runWorkflow(request, "https://fruit.example/", runSteps)).rejects.toThrow(
      'GET /api/fruits/7 answered 500, expected 200: {"error":"Internal Server Error"}',
    );
    expect(calls).toEqual([
      "GET https://fruit.example/health/ready",
      "POST https://fruit.example/api/fruits",
      "GET https://fruit.example/api/fruits/7",
      "DELETE https://fruit.example/api/fruits/7",
    ]);
  });

  it("stops before writing when the app is not ready", async () => {
    const request: ApiRequest = {
      get: async () => reply(503, { status: "unavailable" }),
      post: async () => {
        throw new Error("must not write");
      },
      delete: async () => reply(204),
    };
    await expect(canary.runWorkflow(request, "https://fruit.example", runSteps)).rejects.toThrow("GET /health/ready answered 503");
  });

  it("refuses to run without BASE_URL", async () => {
    await expect(canary.runCanary({}, undefined)).rejects.toThrow(/BASE_URL is not set/);
  });

  it("explains that the Synthetics library exists only in the canary runtime", async () => {
    await expect(canary.handler()).rejects.toThrow(/syn-nodejs-playwright runtime/);
  });
});
