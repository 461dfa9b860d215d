import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { Fruit } from "../../src/fruits/model.js";
import { dbmate } from "../support/dbmate.js";
import { call, uniqueName } from "../support/http.js";

// Runs against the app at BASE_URL (+ DATABASE_URL for the database checks), or against the app the
// global setup started from source on an embedded PostgreSQL.
const databaseUrl = inject("databaseUrl");

describe("health", () => {
  it("reports live", async () => {
    const res = await call("GET", "/health/live");
    expect(res).toMatchObject({ status: 200, body: { status: "ok" } });
  });

  it("reports ready after checking the database", async () => {
    const res = await call("GET", "/health/ready");
    expect(res).toMatchObject({ status: 200, body: { status: "ok", checks: { database: "ok" } } });
  });
});

describe("fruits API on the migrated database", () => {
  const created: number[] = [];
  afterAll(async () => {
    for (const id of created) await call("DELETE", `/api/fruits/${id}`);
  });

  it("lists the seed data of the first migration, with the origin the expand migration filled in", async () => {
    const res = await call<Fruit[]>("GET", "/api/fruits?limit=100");
    expect(res.status).toBe(200);
    const byName = new Map(res.body.map((f) => [f.name, f]));
    expect(byName.get("Apple")).toMatchObject({ color: "red", origin: null });
    expect(byName.get("Kiwi")).toMatchObject({ color: "green", origin: "New Zealand" });
    expect([...byName.keys()]).toEqual(expect.arrayContaining(["Apple", "Banana", "Cherry", "Kiwi"]));
  });

  it("creates, reads, replaces and deletes a fruit", async () => {
    const name = uniqueName("Mango");
    const post = await call<Fruit>("POST", "/api/fruits", { name, color: "orange", origin: "India" });
    expect(post.status).toBe(201);
    expect(post.body).toMatchObject({ name, color: "orange", origin: "India" });
    expect(post.headers.get("location")).toBe(`/api/fruits/${post.body.id}`);
    created.push(post.body.id);

    const get = await call<Fruit>("GET", `/api/fruits/${post.body.id}`);
    expect(get).toMatchObject({ status: 200, body: post.body });

    const put = await call<Fruit>("PUT", `/api/fruits/${post.body.id}`, { name, color: "yellow" });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: post.body.id, color: "yellow", origin: null });
    expect(Date.parse(put.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(post.body.updatedAt));

    const del = await call("DELETE", `/api/fruits/${post.body.id}`);
    expect(del.status).toBe(204);
    expect((await call("GET", `/api/fruits/${post.body.id}`)).status).toBe(404);
    expect((await call("DELETE", `/api/fruits/${post.body.id}`)).status).toBe(404);
  });

  it("refuses a second fruit whose name differs only in case, with 409", async () => {
    const name = uniqueName("Papaya");
    const first = await call<Fruit>("POST", "/api/fruits", { name, color: "orange" });
    expect(first.status).toBe(201);
    created.push(first.body.id);
    const second = await call<{ message: string }>("POST", "/api/fruits", { name: name.toUpperCase(), color: "green" });
    expect(second.status).toBe(409);
    expect(second.body.message).toContain("already exists");
  });

  it("answers invalid input with 400 and names every field at fault", async () => {
    const res = await call<{ problems: { field: string }[] }>("POST", "/api/fruits", { color: 3, size: "L" });
    expect(res.status).toBe(400);
    expect(res.body.problems.map((p) => p.field).sort()).toEqual(["color", "name", "size"]);
    expect((await call("POST", "/api/fruits", undefined, "{not json")).status).toBe(400);
    expect((await call("GET", "/api/fruits/abc")).status).toBe(400);
    expect((await call("GET", "/api/fruits?limit=1000")).status).toBe(400);
  });

  it("pages the list with limit and offset", async () => {
    const first = await call<Fruit[]>("GET", "/api/fruits?limit=2");
    const second = await call<Fruit[]>("GET", "/api/fruits?limit=2&offset=2");
    expect(first.body).toHaveLength(2);
    expect(second.body[0]?.id).toBeGreaterThan(first.body[1]?.id ?? Infinity);
  });
});

describe.skipIf(databaseUrl === undefined)("database migrations (dbmate)", () => {
  const url = databaseUrl as string;

  it("has every migration applied and nothing pending", async () => {
    const { stdout } = await dbmate(url, "status");
    expect(stdout).toMatch(/\[X\] 20250101000000_create_fruits\.sql/);
    expect(stdout).toMatch(/\[X\] 20250201000000_add_fruit_origin\.sql/);
    expect(stdout).toMatch(/Pending: 0/);
  });

  it("re-running the migrations is a no-op", async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const snapshot = async () => ({
        versions: (await client.query("SELECT version FROM schema_migrations ORDER BY version")).rows,
        fruits: (await client.query("SELECT id, name, color, origin FROM fruits WHERE id <= 4 ORDER BY id")).rows,
        columns: (await client.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'fruits' ORDER BY column_name")).rows,
      });
      const before = await snapshot();
      const { stdout } = await dbmate(url, "up");
      expect(stdout).not.toContain("Applying");
      expect(await snapshot()).toEqual(before);
    } finally {
      await client.end();
    }
  });

  it("serves rows that the previous app version writes (expand step is backward compatible)", async () => {
    // The version before the expand migration inserts without the origin column.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const name = uniqueName("Plum");
    try {
      const { rows } = await client.query<{ id: number }>("INSERT INTO fruits (name, color) VALUES ($1, 'purple') RETURNING id", [name]);
      const id = rows[0]?.id as number;
      const res = await call<Fruit>("GET", `/api/fruits/${id}`);
      expect(res.body).toMatchObject({ id, name, color: "purple", origin: null });
      await client.query("DELETE FROM fruits WHERE id = $1", [id]);
    } finally {
      await client.end();
    }
  });
});

describe.skipIf(!inject("localStack"))("migration round trip on a scratch database", () => {
  it("applies, rolls back and re-applies both migrations", async () => {
    const scratch = new URL(databaseUrl as string);
    scratch.pathname = "/fruits_roundtrip";
    const url = scratch.toString();
    await dbmate(url, "create");
    await dbmate(url, "up");
    await dbmate(url, "rollback");
    const afterRollback = await dbmate(url, "status");
    expect(afterRollback.stdout).toMatch(/\[ \] 20250201000000_add_fruit_origin\.sql/);
    await dbmate(url, "rollback");
    expect((await dbmate(url, "status")).stdout).toMatch(/Applied: 0/);
    const again = await dbmate(url, "up");
    expect(again.stdout).toContain("Applied: 20250201000000_add_fruit_origin.sql");
    await dbmate(url, "drop");
  });
});
