import { describe, expect, inject, it } from "vitest";
import type { Fruit } from "../../src/fruits/model.js";
import { uniqueName } from "../support/http.js";

// A user's journey through the API, as a client sees it: plain HTTP against BASE_URL, no knowledge
// of the database, following the links the service gives back.
const base = inject("baseUrl");

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(new URL(path, base), {
    method,
    headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
}

/** Pages through the list as a client would, until the fruit shows up or the list ends. */
async function findInList(name: string): Promise<Fruit | undefined> {
  for (let offset = 0; ; offset += 100) {
    const page: Fruit[] = await (await send("GET", `/api/fruits?limit=100&offset=${offset}`)).json();
    const found = page.find((f) => f.name === name);
    if (found || page.length < 100) return found;
  }
}

describe("a user managing fruits", () => {
  it("finds the API from the home page", async () => {
    const res = await send("GET", "/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain('href="/api/fruits"');
  });

  it("adds a fruit, finds it in the list, corrects it and removes it", async () => {
    const name = uniqueName("Dragonfruit");

    const created = await send("POST", "/api/fruits", { name, color: "pink" });
    expect(created.status).toBe(201);
    expect(created.headers.get("content-type")).toContain("application/json");
    const location = created.headers.get("location");
    expect(location).toMatch(/^\/api\/fruits\/\d+$/);

    expect(await findInList(name)).toMatchObject({ name, color: "pink", origin: null });

    const corrected = await send("PUT", location as string, { name, color: "magenta", origin: "Vietnam" });
    expect(corrected.status).toBe(200);
    expect(await corrected.json()).toMatchObject({ name, color: "magenta", origin: "Vietnam" });

    const shown: Fruit = await (await send("GET", location as string)).json();
    expect(shown).toMatchObject({ color: "magenta", origin: "Vietnam" });

    expect((await send("DELETE", location as string)).status).toBe(204);
    const gone = await send("GET", location as string);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ error: "Not Found" });
  });

  it("is told what to fix when a form is incomplete", async () => {
    const res = await send("POST", "/api/fruits", { name: "   " });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.message).toBe("name: must not be empty; color: is required");
  });
});
