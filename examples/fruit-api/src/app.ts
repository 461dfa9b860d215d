import { readFileSync } from "node:fs";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import { DuplicateNameError, type FruitRepository } from "./fruits/model.js";
import { checkFruitInput, checkId, checkPage, type Problem } from "./fruits/validation.js";

export interface AppDeps {
  fruits: FruitRepository;
  /** Resolves when the database answers; rejects otherwise. */
  pingDatabase: () => Promise<void>;
  logLevel?: string;
}

export interface App {
  server: FastifyInstance;
  /** Turns /health/ready to 503 so the load balancer stops sending new requests before shutdown. */
  startDraining(): void;
}

// Static assets sit beside src/ (and beside dist/ in the image), so this resolves from either.
const INDEX_HTML = new URL("../public/index.html", import.meta.url);

export function buildApp(deps: AppDeps): App {
  const server = Fastify({
    logger: {
      level: deps.logLevel ?? "info",
      // Pino writes one JSON object per line; these keys never reach the log.
      redact: ["req.headers.authorization", "req.headers.cookie"],
    },
    // Ids in logs let a request be followed across the ALB access log and the app log.
    requestIdHeader: "x-request-id",
    bodyLimit: 16 * 1024,
  });
  let draining = false;
  const indexHtml = readFileSync(INDEX_HTML, "utf8");

  server.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, "request failed");
      return reply.status(500).send({ error: "Internal Server Error", message: "the request could not be completed" });
    }
    // Fastify's own 4xx errors: malformed JSON, wrong content type, body too large.
    return reply.status(status).send({ error: reasonPhrase(status), message: error.message });
  });
  server.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: "Not Found", message: `no route for ${request.method} ${request.url.split("?")[0]}` }),
  );

  server.get("/", async (_request, reply) => reply.type("text/html; charset=utf-8").send(indexHtml));

  server.get("/health/live", async () => ({ status: "ok" }));
  server.get("/health/ready", async (request, reply) => {
    if (draining) return reply.status(503).send({ status: "draining" });
    try {
      await deps.pingDatabase();
      return { status: "ok", checks: { database: "ok" } };
    } catch (error) {
      request.log.warn({ err: error }, "readiness check failed");
      return reply.status(503).send({ status: "unavailable", checks: { database: "failed" } });
    }
  });

  server.get("/api/fruits", async (request, reply) => {
    const page = checkPage(request.query as Record<string, unknown>);
    if (!page.ok) return badRequest(reply, page.problems);
    return deps.fruits.list(page.value.limit, page.value.offset);
  });

  server.post("/api/fruits", async (request, reply) => {
    const input = checkFruitInput(request.body);
    if (!input.ok) return badRequest(reply, input.problems);
    try {
      const fruit = await deps.fruits.create(input.value);
      return reply.status(201).header("location", `/api/fruits/${fruit.id}`).send(fruit);
    } catch (error) {
      return conflictOrThrow(reply, error);
    }
  });

  server.get<{ Params: { id: string } }>("/api/fruits/:id", async (request, reply) => {
    const id = checkId(request.params.id);
    if (!id.ok) return badRequest(reply, id.problems);
    const fruit = await deps.fruits.get(id.value);
    return fruit ?? notFound(reply, id.value);
  });

  server.put<{ Params: { id: string } }>("/api/fruits/:id", async (request, reply) => {
    const id = checkId(request.params.id);
    const input = checkFruitInput(request.body);
    const problems = [...(id.ok ? [] : id.problems), ...(input.ok ? [] : input.problems)];
    if (!id.ok || !input.ok) return badRequest(reply, problems);
    try {
      const fruit = await deps.fruits.replace(id.value, input.value);
      return fruit ?? notFound(reply, id.value);
    } catch (error) {
      return conflictOrThrow(reply, error);
    }
  });

  server.delete<{ Params: { id: string } }>("/api/fruits/:id", async (request, reply) => {
    const id = checkId(request.params.id);
    if (!id.ok) return badRequest(reply, id.problems);
    const removed = await deps.fruits.remove(id.value);
    return removed ? reply.status(204).send() : notFound(reply, id.value);
  });

  return {
    server,
    startDraining: () => {
      draining = true;
    },
  };
}

function badRequest(reply: FastifyReply, problems: Problem[]) {
  const message = problems.map((p) => `${p.field}: ${p.message}`).join("; ");
  return reply.status(400).send({ error: "Bad Request", message, problems });
}

function notFound(reply: FastifyReply, id: number) {
  return reply.status(404).send({ error: "Not Found", message: `no fruit with id ${id}` });
}

function conflictOrThrow(reply: FastifyReply, error: unknown) {
  if (error instanceof DuplicateNameError) return reply.status(409).send({ error: "Conflict", message: error.message });
  throw error;
}

function reasonPhrase(status: number): string {
  const phrases: Record<number, string> = { 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 413: "Payload Too Large", 415: "Unsupported Media Type" };
  return phrases[status] ?? "Client Error";
}
