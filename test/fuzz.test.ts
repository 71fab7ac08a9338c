// The short fuzz run CI does (`npm run fuzz` runs a longer one on worker threads; bench/fuzz.ts the 1,000,000-input
// one): seeded scenario inputs through the loader and every engine, each ending in a finite, non-negative result or
// an input error that names its field or line, within the hang limit.
import { describe, expect, it } from "vitest";
import { runInput } from "../fuzz/engines.js";
import { fuzzInput, seedCorpus, vocabulary } from "../fuzz/mutate.js";

const corpus = seedCorpus(new URL("../", import.meta.url));
const vocab = vocabulary(corpus);
const LIMITS = { trials: 10, requests: 30, maxSimChips: 2048 };

describe("fuzz (short run)", () => {
  it("loader: 3,000 inputs, no uncaught error", () => {
    const bugs: string[] = [];
    let errors = 0;
    for (let i = 0; i < 3000; i++) {
      const o = runInput(fuzzInput(corpus, vocab, 7, i), false);
      if (o.kind === "bug") bugs.push(`#${i} ${o.stage}: ${o.what}`);
      if (o.kind === "input-error") errors++;
    }
    expect(bugs).toEqual([]);
    // Both outcomes occur: the generator reaches the schema's edges, not only its errors.
    expect(errors).toBeGreaterThan(300);
    expect(errors).toBeLessThan(2900);
  });

  it("engines: 300 inputs, finite non-negative results or errors naming their field, none over 10 s", () => {
    const bugs: string[] = [];
    const ran = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      const o = runInput(fuzzInput(corpus, vocab, 11, i), true, undefined, LIMITS);
      const s = (performance.now() - t0) / 1000;
      if (o.kind === "bug") bugs.push(`#${i} ${o.stage}: ${o.what}`);
      if (s > 10) bugs.push(`#${i}: ${s.toFixed(1)} s`);
      if (o.kind === "result") for (const e of o.engines) ran.add(e);
    }
    expect(bugs).toEqual([]);
    expect([...ran].sort()).toEqual(["reliability", "serve", "simulate", "spec", "train"]);
  });
});
