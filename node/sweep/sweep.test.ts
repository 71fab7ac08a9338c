// Sweeps on this machine: the example through the CLI (its --json summary, JSONL equal to an in-process run, CSV,
// Parquet read back, a chart per axis), resuming, an --out of another sweep refused, bad files, and the planner's
// re-ranking on threads equal to direct simulations.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { parquetReadObjects } from "hyparquet";
import { afterAll, describe, expect, it, vi } from "vitest";
import { readSweep, registerSweep } from "../../cli/commands/sweep.js";
import { ZettasimError } from "../../src/core/errors.js";
import { planTrain } from "../../src/plan/train.js";
import { plannedScenario } from "../../src/plan/train-report.js";
import { trainingJob } from "../../src/report/results.js";
import { loadScenarioText, type Scenario } from "../../src/scenario/load.js";
import { planFile } from "../../src/schema/plan.js";
import { simulateScenario } from "../../src/sim/simulate.js";
import { runPointLines, type SweepRow } from "../../src/sweep/point.js";
import { runLocal } from "./local.js";
import { rowsCsv } from "./report.js";
import { rerankLayouts } from "./rerank.js";
import { RowFile } from "./rows.js";

const dir = mkdtempSync(join(tmpdir(), "zettasim-sweep-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const example = new URL("../../examples/sweep-atlas-950-layouts.yaml", import.meta.url).pathname;

/** `zettasim ARGS` in this process, stdout captured; throws what the command throws. */
async function zettasim(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerSweep(program);
  let stdout = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  try {
    await program.parseAsync(["node", "zettasim", ...args]);
  } finally {
    o.mockRestore();
  }
  return stdout;
}

describe("local sweeps", () => {
  it("the example through `sweep --json` on two threads: rows as in-process, CSV, Parquet and charts beside", async () => {
    const out = join(dir, "layouts.jsonl");
    const args = [example, "--out", out, "--threads", "2", "--points-per-task", "20", "--json"];
    const summary = JSON.parse(await zettasim("sweep", ...args));
    const sweep = readSweep(example);
    expect(summary).toMatchObject({
      points: 162,
      done: 162,
      failed: 0,
      ranNow: 162,
      outFile: out,
      sweep: sweep.id,
      run: "train",
    });
    const text = readFileSync(out, "utf8");
    expect(text).toBe(`${(await runPointLines(sweep, 0, sweep.points)).join("\n")}\n`);
    const rows = text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as SweepRow);
    expect(rows.map((r) => r.index)).toEqual(Array.from({ length: 162 }, (_, i) => i));

    const csv = readFileSync(summary.csvFile, "utf8");
    expect(csv).toBe(rowsCsv(sweep, rows));
    expect(csv.split("\n")[0]).toMatch(/^index,id,training\.chips,training\.globalBatchSize,training\.tp,/);
    // Parquet, read back by an independent reader: one record per row, typed columns, the same figures.
    const buf = readFileSync(summary.parquetFile);
    const back = await parquetReadObjects({
      file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength),
    });
    expect(back).toHaveLength(162);
    rows.forEach((r, i) => {
      const res = r.result as { stepTimeS: number; fitsInMemory: boolean };
      expect(back[i]).toMatchObject({
        index: i,
        id: r.id,
        "training.tp": r.point["training.tp"],
        "training.precision": r.point["training.precision"],
        stepTimeS: res.stepTimeS,
        fitsInMemory: res.fitsInMemory,
        error: null,
      });
    });
    expect(summary.charts).toHaveLength(6);
    const svg = readFileSync(summary.charts[0], "utf8");
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*step s by training\.chips[\s\S]*<circle/,
    );
    expect(svg).toContain("131072");

    // Again with the same --out: nothing runs, the files are the same.
    const again = JSON.parse(await zettasim("sweep", ...args));
    expect(again).toMatchObject({ points: 162, done: 162, ranNow: 0 });
    expect(readFileSync(out, "utf8")).toBe(text);
  });

  it("re-running with the same --out skips what is done, and cuts a torn last line", async () => {
    const sweep = readSweep(example, 20);
    const out = join(dir, "resume.jsonl");
    const lines = await runPointLines(sweep, 0, sweep.points);
    writeFileSync(out, `${lines.slice(0, 50).join("\n")}\n${lines[50].slice(0, 40)}`);
    const rows = RowFile.open(out, sweep.id);
    expect(rows.size).toBe(50);
    let seen = 0;
    await runLocal(sweep, rows, { threads: 1, onProgress: (d) => (seen = d) });
    expect(seen).toBe(sweep.points);
    rows.finish();
    expect(readFileSync(out, "utf8")).toBe(`${lines.join("\n")}\n`);
  });

  it("refuses an --out that holds another sweep's rows", () => {
    const out = join(dir, "other.jsonl");
    writeFileSync(out, `${JSON.stringify({ point: {}, index: 0, id: "x", sweep: "0000000000000000" })}\n`);
    const sweep = readSweep(example);
    expect(() => RowFile.open(out, sweep.id)).toThrow(ZettasimError);
    expect(() => RowFile.open(out, sweep.id)).toThrow(/another sweep/);
  });

  it("a bad sweep file is refused naming the file and the field", () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(
      bad,
      "base: ../examples/none.yaml\nrun: train\naxes:\n  - { field: training.tp, values: [4] }\n",
    );
    expect(() => readSweep(bad)).toThrow(/no such file/);
    writeFileSync(
      bad,
      `base: ${example.replace("sweep-atlas-950-layouts", "atlas-950-supercluster-train")}\nrun: train\naxes:\n  - { field: training.tp, valeus: [4] }\n`,
    );
    expect(() => readSweep(bad)).toThrow(/bad\.yaml[\s\S]*axes\[0\]\.valeus: unknown field/);
  });

  it("plan train's re-ranking on threads: each layout's simulated step time, as a direct simulation", async () => {
    const sc = loadScenarioText(
      [
        "name: tiny plan",
        "system: dgx-h100-superpod",
        "model: llama3-8b",
        "training: { chips: 16, seqLength: 4096, globalBatchSize: 64 }",
        "plan: { top: 2, space: { tp: [1, 2, 4], pp: [1, 2], cp: [1], zero: [1], schedule: [1f1b], microBatchSize: [1] } }",
      ].join("\n"),
      "tiny",
    );
    const job = trainingJob(sc);
    const plan = sc.file.plan ?? planFile.parse({});
    const r = await planTrain({ system: job.system, model: job.model, training: job.training, plan });
    const rows = await rerankLayouts(sc.file, r.top, { threads: 2 });
    expect(rows.map((x) => x.rank)).toEqual([1, 2]);
    rows.forEach((x, i) => {
      const file = plannedScenario(sc.file, r.top[i]) as Scenario["file"];
      expect(x.simulatedStepTimeS).toBe(simulateScenario({ ...sc, file }).stepTimeS);
      expect(x.differencePct).toBeCloseTo(
        (100 * (x.simulatedStepTimeS - x.analyticalStepTimeS)) / x.analyticalStepTimeS,
        12,
      );
    });
  });
});
