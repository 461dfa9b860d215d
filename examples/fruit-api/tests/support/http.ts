import { inject } from "vitest";

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** Sends one request to the app under test and parses a JSON answer (`undefined` for an empty body). */
export async function call<T = unknown>(method: string, path: string, body?: unknown, rawBody?: string): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined || rawBody !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${inject("baseUrl")}${path}`, {
    method,
    headers,
    body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text === "" ? undefined : JSON.parse(text)) as T };
}

/** A name no other run uses, so the tests can run again and again against the same Beta database. */
export function uniqueName(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
