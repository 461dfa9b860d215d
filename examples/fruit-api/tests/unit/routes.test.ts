import { afterEach, describe, expect, it } from "vitest";
import { buildApp, type App } from "../../src/app.js";
import type { FruitRepository } from "../../src/fruits/model.js";
import { MemoryFruitRepository } from "../support/memory-repository.js";

let app: App | undefined;
afterEach(async () => {
  await app?.server.close();
  app = undefined;
});

function start(fruits: FruitRepository = new MemoryFruitRepository([{ name: "Apple", color: "red", origin: null }]), ping = async () => {}) {
  app = buildApp({ fruits, pingDatabase: ping, logLevel: "silent" });
  return app.server;
}

describe("fruit routes", () => {
  it("lists fruits, paged by limit and offset", async () => {
    const server = start(new MemoryFruitRepository(["A", "B", "C"].map((name) => ({ name, color: "x", origin: null }))));
    const all = await server.inject({ method: "GET", url: "/api/fruits" });
    expect(all.statusCode).toBe(200);
    expect(all.json().map((f: { name: string }) => f.name)).toEqual(["A", "B", "C"]);
    const page = await server.inject({ method: "GET", url: "/api/fruits?limit=1&offset=1" });
    expect(page.json().map((f: { name: string }) => f.name)).toEqual(["B"]);
  });

  it("creates a fruit with 201, a Location header and trimmed fields", async () => {
    const server = start();
    const res = await server.inject({ method: "POST", url: "/api/fruits", payload: { name: "  Pear ", color: "green", origin: "France" } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ id: 2, name: "Pear", color: "green", origin: "France" });
    expect(res.headers.location).toBe("/api/fruits/2");
  });

  it("reads, replaces and deletes by id", async () => {
    const server = start();
    expect((await server.inject({ method: "GET", url: "/api/fruits/1" })).json()).toMatchObject({ name: "Apple" });
    const put = await server.inject({ method: "PUT", url: "/api/fruits/1", payload: { name: "Apple", color: "green" } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ id: 1, color: "green", origin: null });
    expect((await server.inject({ method: "DELETE", url: "/api/fruits/1" })).statusCode).toBe(204);
    expect((await server.inject({ method: "GET", url: "/api/fruits/1" })).statusCode).toBe(404);
  });

  it("answers 404 with a message for an unknown id, on GET, PUT and DELETE", async () => {
    const server = start();
    for (const method of ["GET", "PUT", "DELETE"] as const) {
      const res = await server.inject({ method, url: "/api/fruits/99", ...(method === "PUT" && { payload: { name: "X", color: "y" } }) });
      expect(res.statusCode, method).toBe(404);
      expect(res.json()).toEqual({ error: "Not Found", message: "no fruit with id 99" });
    }
  });

  it("answers 409 when the name is taken, ignoring case", async () => {
    const server = start();
    const res = await server.inject({ method: "POST", url: "/api/fruits", payload: { name: "APPLE", color: "red" } });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe('a fruit named "APPLE" already exists');
  });

  it.each([
    ["a missing body field", "POST", "/api/fruits", { color: "red" }, ["name"]],
    ["an unknown field", "POST", "/api/fruits", { name: "Fig", color: "purple", price: 3 }, ["price"]],
    ["a bad id and a bad body at once", "PUT", "/api/fruits/0", { name: "" }, ["id", "name", "color"]],
    ["a non-numeric id", "GET", "/api/fruits/abc", undefined, ["id"]],
    ["a limit out of range", "GET", "/api/fruits?limit=0", undefined, ["limit"]],
    ["an unknown query parameter", "GET", "/api/fruits?sort=name", undefined, ["sort"]],
  ] as const)("answers 400 naming the fields for %s", async (_case, method, url, payload, fields) => {
    const server = start();
    const res = await server.inject({ method, url, ...(payload && { payload }) });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error).toBe("Bad Request");
    expect(body.problems.map((p: { field: string }) => p.field)).toEqual(fields);
    expect(body.message).toContain(`${fields[0]}:`);
  });

  it("answers 400 for malformed JSON, for a body that is not a JSON object, and 415 for an unknown media type", async () => {
    const server = start();
    const bad = await server.inject({ method: "POST", url: "/api/fruits", headers: { "content-type": "application/json" }, payload: "{" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe("Bad Request");
    const text = await server.inject({ method: "POST", url: "/api/fruits", headers: { "content-type": "text/plain" }, payload: "Apple" });
    expect(text.statusCode).toBe(400);
    expect(text.json().problems).toEqual([{ field: "body", message: "expected a JSON object with name and color" }]);
    const xml = await server.inject({ method: "POST", url: "/api/fruits", headers: { "content-type": "application/xml" }, payload: "<a/>" });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().error).toBe("Unsupported Media Type");
  });

  it("hides the details of an unexpected failure behind a 500", async () => {
    const broken = new MemoryFruitRepository();
    broken.list = async () => {
      throw new Error("connection string postgres://user:secret@db");
    };
    const res = await start(broken).inject({ method: "GET", url: "/api/fruits" });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain("secret");
    expect(res.json()).toEqual({ error: "Internal Server Error", message: "the request could not be completed" });
  });

  it("serves the static index page and a JSON 404 for unknown routes", async () => {
    const server = start();
    const index = await server.inject({ method: "GET", url: "/" });
    expect(index.headers["content-type"]).toContain("text/html");
    expect(index.body).toContain("/api/fruits");
    const missing = await server.inject({ method: "GET", url: "/nope?x=1" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe("no route for GET /nope");
  });
});

describe("health routes", () => {
  it("reports live without touching the database", async () => {
    let pinged = 0;
    const server = start(undefined, async () => {
      pinged++;
    });
    expect((await server.inject({ method: "GET", url: "/health/live" })).json()).toEqual({ status: "ok" });
    expect(pinged).toBe(0);
  });

  it("reports ready only while the database answers", async () => {
    let up = true;
    const server = start(undefined, async () => {
      if (!up) throw new Error("ECONNREFUSED");
    });
    expect((await server.inject({ method: "GET", url: "/health/ready" })).statusCode).toBe(200);
    up = false;
    const down = await server.inject({ method: "GET", url: "/health/ready" });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: "unavailable", checks: { database: "failed" } });
  });

  it("reports not ready once draining has started", async () => {
    const server = start();
    app?.startDraining();
    const res = await server.inject({ method: "GET", url: "/health/ready" });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: "draining" });
  });
});
