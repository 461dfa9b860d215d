// CloudWatch Synthetics canary (Node.js Playwright runtime, handler "canary.handler").
// It walks the main workflow of the API the way a client does: readiness, create, read, list,
// delete. The target comes from the canary's BASE_URL environment variable (set in infra/template.yaml).

/** Calls `fn` as one reported step; locally (tests) steps just run in order. */
async function runWorkflow(request, baseUrl, step) {
  const url = (path) => `${baseUrl.replace(/\/+$/, "")}${path}`;
  const name = `canary-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  let id;

  await step("ready", async () => {
    await expectStatus(await request.get(url("/health/ready")), 200, "GET /health/ready");
  });
  await step("create fruit", async () => {
    const res = await request.post(url("/api/fruits"), { data: { name, color: "green" } });
    await expectStatus(res, 201, "POST /api/fruits");
    id = (await res.json()).id;
  });
  try {
    await step("read fruit", async () => {
      const res = await request.get(url(`/api/fruits/${id}`));
      await expectStatus(res, 200, `GET /api/fruits/${id}`);
      const fruit = await res.json();
      if (fruit.name !== name) throw new Error(`GET /api/fruits/${id} returned name "${fruit.name}", expected "${name}"`);
    });
    await step("list fruits", async () => {
      const res = await request.get(url("/api/fruits?limit=5"));
      await expectStatus(res, 200, "GET /api/fruits");
      const list = await res.json();
      if (!Array.isArray(list) || list.length === 0) throw new Error("GET /api/fruits returned no fruits");
    });
  } finally {
    // Clean up even when a check failed, so canary runs never pile up rows.
    if (id !== undefined) {
      await step("delete fruit", async () => {
        await expectStatus(await request.delete(url(`/api/fruits/${id}`)), 204, `DELETE /api/fruits/${id}`);
      });
    }
  }
}

async function expectStatus(response, expected, what) {
  const status = response.status();
  if (status !== expected) {
    const body = (await response.text()).slice(0, 200);
    throw new Error(`${what} answered ${status}, expected ${expected}: ${body}`);
  }
}

/** The whole canary run with a given Synthetics library object (the runtime's, or a test double). */
async function runCanary(synthetics, baseUrl) {
  if (!baseUrl) throw new Error("BASE_URL is not set: give the canary the application's URL in its environment variables");
  const browser = await synthetics.launch();
  try {
    const page = await synthetics.newPage(browser);
    await runWorkflow(page.request, baseUrl, (name, fn) => synthetics.executeStep(name, fn));
  } finally {
    await synthetics.close();
  }
}

/** The runtime provides the library; newer runtime versions publish it under the @aws scope. */
function loadSynthetics() {
  for (const name of ["@aws/synthetics-playwright", "@amzn/synthetics-playwright"]) {
    try {
      return require(name).synthetics;
    } catch (error) {
      if (error.code !== "MODULE_NOT_FOUND") throw error;
    }
  }
  throw new Error("the CloudWatch Synthetics Playwright library is not available: run this script on a syn-nodejs-playwright runtime");
}

exports.handler = async () => runCanary(loadSynthetics(), process.env.BASE_URL);
exports.runCanary = runCanary;
exports.runWorkflow = runWorkflow;
