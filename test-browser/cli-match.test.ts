// The figures each page shows are the CLI's: the page's JSON is byte for byte what `zettasim <command> --json`
// prints for the scenario the page downloads (which also shows that file runs unchanged in the CLI).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fmtDuration } from "../src/core/units.js";
import {
  cli,
  downloadOf,
  downloadYaml,
  example,
  type Harness,
  hashFor,
  jsonText,
  openPage,
  start,
  withoutWall,
} from "./harness.js";

/** What a section shows: its headline values, table cells and number of charts, in order. */
async function contentOf(page: Page, selector: string) {
  return page.locator(selector).evaluate((el) => ({
    kpis: Array.from(el.querySelectorAll(".kpi .value")).map((e) => e.textContent?.trim()),
    cells: Array.from(el.querySelectorAll("th, td")).map((e) => e.textContent?.trim()),
    charts: el.querySelectorAll("figure.chart").length,
  }));
}

let h: Harness;
beforeAll(async () => {
  h = await start();
});
afterAll(async () => {
  await h?.close();
});

describe("page figures match the CLI's --json", () => {
  it("training (default scenario, full SuperCluster): JSON and headline figures", async () => {
    const { page, errors } = await openPage(h, hashFor("train"));
    const shown = await jsonText(page, "json-train");
    const yaml = await downloadYaml(page);
    const r = cli(["train", "scenario.yaml", "--json"], yaml);
    expect(r.status).toBe(0);
    expect(shown).toBe(r.stdout.trimEnd());
    const v = JSON.parse(r.stdout);
    expect(await page.locator('[data-kpi="step-time"] .value').textContent()).toBe(fmtDuration(v.stepTimeS));
    expect(await page.locator('[data-kpi="mfu"] .value').textContent()).toBe(`${(v.mfu * 100).toFixed(1)}%`);
    expect(errors).toEqual([]);
  });

  it("spec and compare", async () => {
    const { page, errors } = await openPage(h, hashFor("spec", example("custom-system.yaml")));
    const spec = await jsonText(page, "json-spec");
    const compare = await jsonText(page, "json-compare");
    expect(spec).toBe(
      cli(["spec", "scenario.yaml", "--json"], example("custom-system.yaml")).stdout.trimEnd(),
    );
    expect(compare).toBe(cli(["compare", "vr-nvl144", "atlas-950-superpod", "--json"]).stdout.trimEnd());
    expect(errors).toEqual([]);
  });

  it("claims check and study: each section's figures and tables are those of the CLI's claims report", async () => {
    const { page, errors } = await openPage(h, hashFor("spec"));
    await page.getByTestId("run-study").click();
    const ids = ["claims", "scaling", "budget", "uboe-vs-roce", "think-as-one"];
    await page.locator("#section-think-as-one").waitFor({ timeout: 240_000 });
    const r = cli(["report", "--claims", "--out", "claims.html"]);
    expect(r.status, r.stderr).toBe(0);
    const report = await h.browser.newPage();
    await report.setContent(readFileSync(join(r.dir, "claims.html"), "utf8"));
    for (const id of ids) {
      const shown = await contentOf(page, `#section-${id}`);
      expect(shown.cells.length, id).toBeGreaterThan(0);
      expect(shown, id).toEqual(await contentOf(report, `section#${id}`));
    }
    await report.close();
    expect(errors).toEqual([]);
  });

  it("simulate (flow back end, UB Clos SuperPoD iteration)", async () => {
    const text = example("ub-mesh-vs-clos-clos.yaml");
    const { page, errors } = await openPage(h, hashFor("simulate", text));
    const shown = await jsonText(page, "json-simulate");
    const r = cli(["simulate", "scenario.yaml", "--json", "--trace", "trace.json"], text);
    expect(shown).toBe(withoutWall(r.stdout));
    // The trace the page downloads for Perfetto is the file the CLI writes.
    const trace = await downloadOf(page, { testId: "download-trace" });
    expect(JSON.parse(trace).traceEvents.length).toBeGreaterThan(0);
    expect(trace).toBe(readFileSync(join(r.dir, "trace.json"), "utf8"));
    expect(errors).toEqual([]);
  });

  it("reliability (Monte Carlo, seeded)", async () => {
    // Byte for byte since the core's math is deterministic (src/core/math.ts): V8's Math.log differs between Node
    // and Chromium in the last bit on some inputs, which the Monte Carlo's sums used to show.
    const text = example("clos-availability-8k.yaml");
    const { page, errors } = await openPage(h, hashFor("reliability", text));
    const shown = await jsonText(page, "json-reliability");
    expect(shown).toBe(cli(["reliability", "scenario.yaml", "--json"], text).stdout.trimEnd());
    expect(errors).toEqual([]);
  });

  it("serve, and a load sweep from the URL", async () => {
    const text = example("deepseek-v3-atlas-950-colocated.yaml");
    const { page, errors } = await openPage(h, hashFor("serve", text, "rates=100,150"));
    const shown = await jsonText(page, "json-serve");
    expect(shown).toBe(cli(["serve", "scenario.yaml", "--json"], text).stdout.trimEnd());
    const sweep = await jsonText(page, "json-sweep");
    expect(sweep).toBe(
      cli(["serve", "scenario.yaml", "--sweep", "100,150", "--json"], text).stdout.trimEnd(),
    );
    expect(errors).toEqual([]);
  });

  it("serve with a custom engine defined in the scenario (extends a built-in, one host figure replaced)", async () => {
    const text = example("deepseek-v3-atlas-950-colocated.yaml").replace(
      "  mode: colocated\n",
      "  mode: colocated\n  engine: { extends: sglang, id: my-sglang, hostStepS: 0.05 }\n",
    );
    expect(text).toContain("my-sglang");
    const { page, errors } = await openPage(h, hashFor("serve", text));
    const shown = await jsonText(page, "json-serve");
    expect(shown).toBe(cli(["serve", "scenario.yaml", "--json"], text).stdout.trimEnd());
    // The custom engine is not the built-in it extends: its 50 ms host step (the device step is ~18 ms) shows.
    const builtIn = cli(
      ["serve", "scenario.yaml", "--json"],
      text.replace(/engine: \{[^}]*\}/, "engine: sglang"),
    );
    expect(shown).not.toBe(builtIn.stdout.trimEnd());
    expect(errors).toEqual([]);
  });

  it("planner: every layout figure is the CLI's (counts and timing depend on the workers); a click loads a layout", async () => {
    const text =
      "name: plan-demo\nsystem: atlas-950-superpod\nmodel: llama3-70b\ntraining: { seqLength: 4096, globalBatchSize: 1024, trainTokens: 1e12 }\nplan: { chips: { min: 2048, max: 8192 }, top: 5 }\n";
    // Four cores: the page searches on three pool workers (copies of the core worker running the plan task module).
    const { page, errors } = await openPage(h, hashFor("plan", text), { hardwareConcurrency: 4 });
    const shown = JSON.parse(await jsonText(page, "json-plan"));
    expect(shown.threads).toBe(3);
    const printed = JSON.parse(
      cli(["plan", "train", "scenario.yaml", "--json", "--threads", "1"], text).stdout,
    );
    // How many layouts a bound prunes depends on which chunks finished first, and the wall time on the machine.
    for (const v of [shown, printed])
      for (const k of ["wallS", "threads", "counts", "considered", "evaluated"]) delete v[k];
    expect(JSON.stringify(shown, null, 2)).toBe(JSON.stringify(printed, null, 2));
    await page.getByTestId("load-2").click();
    const train = JSON.parse(await jsonText(page, "json-train"));
    expect(train.stepTimeS).toBe(printed.top[1].stepTimeS);
    expect(train.degrees.tp).toBe(printed.top[1].tp);
    expect(errors).toEqual([]);
  });
});
