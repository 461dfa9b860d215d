import express from "express";
import { Pool } from "pg";

const app = express();
const db = new Pool();

app.get("/fruits", async (req, res) => {
  // ruleid: dpra.js.sql-injection-from-request
  const rows = await db.query(`SELECT * FROM fruits WHERE name = '${req.query.name}'`);
  res.json(rows);
});

app.post("/fruits/search", async (req, res) => {
  const where = "colour = '" + req.body.colour + "'";
  // ruleid: dpra.js.sql-injection-from-request
  const rows = await db.query("SELECT * FROM fruits WHERE " + where);
  res.json(rows);
});

app.get("/fruits/:id", async (request, reply) => {
  // ruleid: dpra.js.sql-injection-from-request
  await db.execute("DELETE FROM fruits WHERE id = " + request.params.id);
  reply.send();
});

app.get("/safe/:id", async (req, res) => {
  // ok: dpra.js.sql-injection-from-request
  const rows = await db.query("SELECT * FROM fruits WHERE id = $1", [req.params.id]);
  res.json(rows);
});

app.get("/safe-number/:id", async (req, res) => {
  // ok: dpra.js.sql-injection-from-request
  const rows = await db.query(`SELECT * FROM fruits WHERE id = ${Number(req.params.id)}`);
  res.json(rows);
});

export async function constant(limit: number) {
  // ok: dpra.js.sql-injection-from-request
  return db.query(`SELECT * FROM fruits LIMIT ${limit}`);
}
