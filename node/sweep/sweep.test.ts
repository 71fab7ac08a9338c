// Sweeps on this machine: the example runs, output is resumed and refused when it belongs to another sweep, rows
// come out in point order and equal to a single-thread run.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readSweep } from "../../cli/commands/sweep.js";
import { ZettasimError } from "../../src/core/errors.js";
import { runPointLines } from "../../src/sweep/point.js";
import { runLocal } from "./local.js";
import { writeReport } from "./report.js";
import { RowFile } from "./rows.js";

const dir = mkdtempSync(join(tmpdir(), "zettasim-sweep-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const example = new URL("../../examples/sweep-atlas-950-layouts.yaml", import.meta.url).pathname;

describe("local sweeps", () => {
  it("the example runs on two threads: every point once, in order, equal to a one-thread run", async () => {
    const sweep = readSweep(example, 20);
    const out = join(dir, "layouts.jsonl");
    const rows = RowFile.open(out, sweep.id);
    await runLocal(sweep, rows, { threads: 2 });
    const all = rows.finish();
    expect(all.map((r) => r.index)).toEqual(Array.from({ length: sweep.points }, (_, i) => i));
    expect(all.every((r) => r.result !== undefined && r.error === undefined)).toBe(true);
    expect(readFileSync(out, "utf8")).toBe(`${(await runPointLines(sweep, 0, sweep.points)).join("\n")}\n`);
    const files = writeReport(sweep, all, out);
    expect(readFileSync(files.csv, "utf8").split("\n")[0]).toMatch(/^index,id,training\.chips,/);
    expect(files.charts).toHaveLength(6);
    expect(readFileSync(files.charts[0], "utf8")).toMatch(/^<svg[\s\S]*<circle[\s\S]*<\/svg>\n$/);
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
});
