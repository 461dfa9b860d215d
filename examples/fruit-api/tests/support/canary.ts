import { createRequire } from "node:module";

/** The subset of Playwright's APIResponse the canary uses. */
export interface ApiResponse {
  status(): number;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

/** The subset of Playwright's APIRequestContext the canary uses. */
export interface ApiRequest {
  get(url: string): Promise<ApiResponse>;
  post(url: string, options: { data: unknown }): Promise<ApiResponse>;
  delete(url: string): Promise<ApiResponse>;
}

export type Step = (name: string, fn: () => Promise<void>) => Promise<void>;

export interface CanaryModule {
  handler(): Promise<void>;
  runCanary(synthetics: unknown, baseUrl: string | undefined): Promise<void>;
  runWorkflow(request: ApiRequest, baseUrl: string, step: Step): Promise<void>;
}

/** Loads canary/canary.js the way the Synthetics runtime does: as CommonJS. */
export function loadCanary(): CanaryModule {
  return createRequire(import.meta.url)("../../canary/canary.js") as CanaryModule;
}

/** Playwright's request API on top of fetch: `data` objects are sent as JSON, like Playwright does. */
export function fetchRequest(): ApiRequest {
  const send = async (method: string, url: string, data?: unknown): Promise<ApiResponse> => {
    const res = await fetch(url, {
      method,
      headers: data === undefined ? {} : { "content-type": "application/json" },
      body: data === undefined ? undefined : JSON.stringify(data),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: () => res.status, text: async () => text, json: async () => JSON.parse(text) };
  };
  return {
    get: (url) => send("GET", url),
    post: (url, options) => send("POST", url, options.data),
    delete: (url) => send("DELETE", url),
  };
}
