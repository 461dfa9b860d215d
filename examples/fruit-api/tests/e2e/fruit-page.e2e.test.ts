// Verification level 1 (real components): the home page driven in a real Chromium through
// playwright-core, against the app the global setup started on a real PostgreSQL after dbmate's
// migrations (or the deployed app at BASE_URL in Beta). The page offers links, not a form: the
// journey follows them as a user would, and a fruit added through the API shows up behind them.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import type { Fruit } from "../../src/fruits/model.js";
import { call, uniqueName } from "../support/http.js";
import { describeChromium } from "../support/real-chromium.js";

/** The final page's screenshot; test-results/ is what the Beta recipe collects as artefacts. */
const FINAL_SCREENSHOT = fileURLToPath(new URL("../../test-results/e2e/fruit-api-final.png", import.meta.url));

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

const base = inject("baseUrl");

/**
 * Chromium asks for /favicon.ico on its own when it shows a JSON answer (an /api or /health link
 * followed); the app serves no icon there, so that one 404 is the browser's, not the page's. The
 * home page declares an empty icon and never asks.
 */
function isJsonViewFavicon(url: string): boolean {
  return new URL(url).pathname === "/favicon.ico";
}

/** Everything the page reports as going wrong: console errors, uncaught errors, failed or 4xx/5xx requests. */
function watchForErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" && !isJsonViewFavicon(msg.location().url)) problems.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.method()} ${req.url()}: ${req.failure()?.errorText ?? "unknown"}`));
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.request().method()} ${res.url()}`);
  });
  return problems;
}

/** Fails when the page shows an error element (role=alert or an element classed or named error). */
async function expectNoErrorElement(page: Page): Promise<void> {
  expect(await page.locator('[role="alert"], .error, #error').count(), `error element on ${page.url()}`).toBe(0);
}

describeChromium((found) => {
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: found.bin, args: CHROMIUM_ARGS });
    page = await browser.newPage();
    problems = watchForErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("follows the home page's links to the fruits and to readiness, and finds a fruit just added", async () => {
    const name = uniqueName("Starfruit");
    const created = await call<Fruit>("POST", "/api/fruits", { name, color: "yellow", origin: "Malaysia" });
    expect(created.status).toBe(201);
    const location = created.headers.get("location");
    expect(location).toMatch(/^\/api\/fruits\/\d+$/);

    await page.goto(new URL("/", base).href);
    await expect.poll(() => page.title()).toBe("fruit-api");
    expect(await page.locator("h1").textContent()).toBe("fruit-api");
    await expectNoErrorElement(page);

    await page.getByRole("link", { name: "GET /api/fruits" }).click();
    await page.waitForURL(/\/api\/fruits$/);
    const list: unknown = JSON.parse(await page.locator("body").innerText());
    expect(Array.isArray(list), "the list link shows a JSON array").toBe(true);

    await page.goto(new URL(location as string, base).href);
    expect(JSON.parse(await page.locator("body").innerText())).toMatchObject({ name, color: "yellow", origin: "Malaysia" });

    await page.goto(new URL("/", base).href);
    await page.getByRole("link", { name: "GET /health/ready" }).click();
    await page.waitForURL(/\/health\/ready$/);
    expect(await page.locator("body").innerText()).toMatch(/ready|ok/i);

    await page.goBack();
    await page.waitForURL(new URL("/", base).href);
    await expectNoErrorElement(page);
    mkdirSync(path.dirname(FINAL_SCREENSHOT), { recursive: true });
    await page.screenshot({ path: FINAL_SCREENSHOT, fullPage: true });

    expect(problems, "the page reported errors").toEqual([]);
    expect((await call("DELETE", location as string)).status).toBe(204);
  });
});
