// The figures each page shows are the CLI's: the page's JSON is byte for byte what `zettasim <command> --json`
// prints for the scenario the page downloads (which also shows that file runs unchanged in the CLI).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fmtDuration } from "../src/core/units.js";
import {
  cli,
  downloadYaml,
  example,
  type Harness,
  hashFor,
  jsonText,
  openPage,
  RESULTS,
  start,
  withoutWall,
} from "./harness.js";

interface Difference {
  path: string;
  page: unknown;
  cli: unknown;
  relative: number;
}

/** Where two JSON values differ: numbers with their relative difference, anything else with Infinity. */
function differences(a: unknown, b: unknown, path = ""): Difference[] {
  if (typeof a === "number" && typeof b === "number") {
    if (a === b) return [];
    return [{ path, page: a, cli: b, relative: Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)) }];
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    if (Array.isArray(a) !== Array.isArray(b)) return [{ path, page: a, cli: b, relative: Infinity }];
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) =>
      differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`),
    );
  }
  return a === b ? [] : [{ path, page: a, cli: b, relative: Infinity }];
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

  it("simulate (flow back end, UB Clos SuperPoD iteration)", async () => {
    const text = example("ub-mesh-vs-clos-clos.yaml");
    const { page, errors } = await openPage(h, hashFor("simulate", text));
    const shown = await jsonText(page, "json-simulate");
    expect(shown).toBe(withoutWall(cli(["simulate", "scenario.yaml", "--json"], text).stdout));
    expect(errors).toEqual([]);
  });

  it("reliability (Monte Carlo, seeded): every figure to 1e-12, last-digit differences listed", async () => {
    const text = example("clos-availability-8k.yaml");
    const { page, errors } = await openPage(h, hashFor("reliability", text));
    const shown = JSON.parse(await jsonText(page, "json-reliability"));
    const printed = JSON.parse(cli(["reliability", "scenario.yaml", "--json"], text).stdout);
    // Issue 11: Math.log differs by an ulp between V8 in Node and in Chromium on some inputs, so the Monte Carlo's
    // sums can differ in the last digits until the core's deterministic math lands. Anything larger is a real
    // divergence and fails here; the last-digit ones are written out so they stay visible.
    const diffs = differences(shown, printed);
    writeFileSync(join(RESULTS, "reliability-divergence.json"), `${JSON.stringify(diffs, null, 2)}\n`);
    if (diffs.length)
      console.warn(`reliability: ${diffs.length} figures differ from the CLI in the last digits`, diffs);
    expect(diffs.filter((d) => d.relative > 1e-12)).toEqual([]);
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

  it("planner: every layout figure is the CLI's (counts and timing depend on the workers); a click loads a layout", async () => {
    const text =
      "name: plan-demo\nsystem: atlas-950-superpod\nmodel: llama3-70b\ntraining: { seqLength: 4096, globalBatchSize: 1024, trainTokens: 1e12 }\nplan: { chips: { min: 2048, max: 8192 }, top: 5 }\n";
    const { page, errors } = await openPage(h, hashFor("plan", text));
    const shown = JSON.parse(await jsonText(page, "json-plan"));
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
