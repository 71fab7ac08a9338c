// Every page of the web app loads in Chromium with no console error, draws its charts, and looks like a page:
// a screenshot of each is written to test-results/browser/ and checked for content.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { example, type Harness, hashFor, inkOf, jsonText, openPage, RESULTS, start } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await start();
});
afterAll(async () => {
  await h?.close();
});

/** Each page, the scenario it is shown with, and what marks it as ready. */
const PAGES: { page: string; text?: string; ready: string; charts: number }[] = [
  { page: "scenario", ready: "valid", charts: 0 },
  { page: "spec", ready: "json-compare", charts: 2 },
  { page: "train", ready: "json-train", charts: 2 },
  {
    page: "plan",
    text: "system: atlas-950-superpod\nmodel: llama3-70b\ntraining: { seqLength: 4096, globalBatchSize: 1024 }\nplan: { chips: { min: 2048, max: 8192 } }\n",
    ready: "json-plan",
    charts: 1,
  },
  { page: "simulate", text: example("ub-mesh-vs-clos-clos.yaml"), ready: "json-simulate", charts: 3 },
  { page: "reliability", text: example("clos-availability-8k.yaml"), ready: "json-reliability", charts: 3 },
  { page: "serve", text: example("deepseek-v3-atlas-950-colocated.yaml"), ready: "json-serve", charts: 2 },
];

describe("every page", () => {
  for (const p of PAGES) {
    it(`${p.page}: loads with no console error, draws its charts, screenshot has content`, async () => {
      const { page, errors } = await openPage(h, hashFor(p.page, p.text));
      await jsonText(page, p.ready);
      // Charts draw once laid out: wait for as many plots with marks as the page promises.
      if (p.charts > 0) {
        await page.waitForFunction(
          (n) => document.querySelectorAll("figure.chart .plot svg [aria-label]").length >= n,
          p.charts,
          { timeout: 60_000 },
        );
      }
      const charts = await page.locator("figure.chart .plot svg").count();
      expect(charts).toBeGreaterThanOrEqual(p.charts);
      const png = await page.screenshot({ path: join(RESULTS, `${p.page}.png`), fullPage: true });
      // No headline figure is cut off in what was drawn: each value's text fits its box.
      const clipped = await page.evaluate(() =>
        Array.from(document.querySelectorAll(".kpi .value"))
          .filter((e) => {
            const r = document.createRange();
            r.selectNodeContents(e);
            return r.getBoundingClientRect().width > e.getBoundingClientRect().width + 0.01;
          })
          .map((e) => e.textContent),
      );
      expect(clipped).toEqual([]);
      const { ink, colours } = await inkOf(h, png);
      expect(ink, "share of pixels that are not background").toBeGreaterThan(0.04);
      expect(colours, "distinct colours").toBeGreaterThan(20);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
