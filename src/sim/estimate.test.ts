// The up-front estimate: cheap, of the right size against real runs, and refusing what cannot finish with an error naming what to change.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { loadScenarioText } from "../scenario/load.js";
import { ANNOUNCE_WALL_S, estimateSimulation, MAX_MEMORY_BYTES, MAX_WALL_S } from "./estimate.js";
import { simulateScenario } from "./simulate.js";

const ROOT = join(import.meta.dirname, "..", "..");
const example = (f: string) => loadScenarioText(readFileSync(join(ROOT, "examples", f), "utf8"), f);

describe("estimateSimulation", () => {
  it("is cheap and within an order of magnitude of the events a run takes", () => {
    for (const f of ["ub-mesh-vs-clos-clos.yaml", "atlas-950-uboe-vs-roce-uboe.yaml", "astra-3d.yaml"]) {
      const sc = example(f);
      const t0 = performance.now();
      const e = estimateSimulation(sc, sc.file.simulation ?? {});
      // Not a speed target (bench/sim-scale.ts has those): the estimate must not run the simulation.
      expect(performance.now() - t0, f).toBeLessThan(2000);
      const r = simulateScenario(sc);
      expect(e.events / r.stats.events, f).toBeGreaterThan(0.1);
      expect(e.events / r.stats.events, f).toBeLessThan(30);
      expect(e.memoryBytes).toBeGreaterThan(0);
    }
  });

  it("counts an iteration's pipeline tasks in its time: a billion-sequence batch is refused, not run for hours", () => {
    const text = readFileSync(join(ROOT, "examples", "ub-mesh-vs-clos-clos.yaml"), "utf8");
    const big = (g: number) =>
      loadScenarioText(text.replace("globalBatchSize: 1024", `globalBatchSize: ${g}`), "big.yaml");
    // 2^22 sequences: 2.1 M tasks, 19.4 s of CPU measured; the estimate must be of that size, not of its 58 messages.
    const e = estimateSimulation(big(2 ** 22), {});
    expect(e.wallS).toBeGreaterThan(ANNOUNCE_WALL_S);
    expect(e.wallS).toBeGreaterThan(19.4 / 3);
    expect(e.wallS).toBeLessThan(19.4 * 3);
    // The fuzzer's runaway (globalBatchSize 1e9 on the SuperPoD, dense-1t): past the limit, refused before it starts.
    const sc = big(1e9);
    expect(estimateSimulation(sc, {}).wallS).toBeGreaterThan(MAX_WALL_S);
    try {
      simulateScenario(sc);
      expect.unreachable("a billion-sequence batch must be refused");
    } catch (e) {
      expect(e).toBeInstanceOf(ZettasimError);
      expect((e as ZettasimError).issues[0].path).toEqual(["training", "globalBatchSize"]);
      expect((e as ZettasimError).message).toMatch(/pipeline tasks/);
    }
  });

  it("grows with every rank simulated: no symmetry costs far more", () => {
    const sc = example("ub-mesh-vs-clos-clos.yaml");
    const sym = estimateSimulation(sc, {});
    const full = estimateSimulation(sc, { symmetry: false });
    // 64 groups of 8 TP ranks, every rank: 512x the messages (measured 29,696 against 58).
    expect(full.messages).toBeGreaterThan(100 * sym.messages);
    expect(full.wallS).toBeGreaterThan(100 * sym.wallS);
    expect(full.peakFlows).toBeGreaterThan(sym.peakFlows);
  });

  it("refuses --no-symmetry on a SuperCluster before it starts, naming what to change", () => {
    const sc = example("atlas-950-supercluster-train.yaml");
    const e = estimateSimulation(sc, { symmetry: false });
    // Four million flows in flight at once: past the memory limit.
    expect(e.memoryBytes).toBeGreaterThan(MAX_MEMORY_BYTES);
    let err: unknown;
    const t0 = performance.now();
    try {
      simulateScenario(sc, { config: { symmetry: false } });
    } catch (x) {
      err = x;
    }
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(err).toBeInstanceOf(ZettasimError);
    expect((err as Error).message).toMatch(
      /simulation\.symmetry: this simulation would take about .* and need about \d+ GiB; the limit is 30 minutes and 8 GiB.*expected symmetry on/,
    );
  });

  /** Runs the scenario and returns the error it was refused with, before it started: within 5 s of wall time on a loaded machine (about 1 CPU-second; the run itself would take hours). */
  const refusal = (sc: ReturnType<typeof example>, config = {}) => {
    const t0 = performance.now();
    try {
      simulateScenario(sc, { config });
    } catch (x) {
      expect(performance.now() - t0).toBeLessThan(5000);
      expect(x).toBeInstanceOf(ZettasimError);
      return (x as Error).message;
    }
    throw new Error("not refused");
  };

  it("names hashed routing when it alone makes a run too long (no representative under ECMP)", () => {
    const sc = example("atlas-950-supercluster-train.yaml");
    expect(refusal(sc, { routing: { "*": "ecmp" } })).toMatch(
      /simulation\.routing: this simulation would take about [\d,]+ minutes.*costliest: dp gradient.*expected spray, the default/,
    );
  });

  it("names the collective's ranks when no setting would bring it within the limits", () => {
    const sc = example("atlas-950-uboe-vs-roce-uboe.yaml");
    // Two jobs side by side run every rank: 262,144 ranks each.
    const half = sc.system.chips / 2;
    const job = { op: "all-reduce" as const, sizeMiB: 256, ranks: half };
    const msg = refusal(sc, { collectives: [job, { ...job, firstChip: half }] });
    expect(msg).toMatch(/simulation\.collectives\[0\]\.ranks: this simulation would take about/);
    expect(msg).toMatch(/expected a smaller value or fewer chips/);
  });

  it("names the flat algorithm when auto would fit", () => {
    const sc = example("atlas-950-uboe-vs-roce-uboe.yaml");
    // Four jobs side by side, each a direct all-reduce over 4,096 ranks: every rank sends to every other.
    const job = (i: number) => ({
      op: "all-reduce" as const,
      sizeMiB: 256,
      ranks: 4096,
      firstChip: i * 4096,
    });
    expect(refusal(sc, { algorithm: "direct", collectives: [0, 1, 2, 3].map(job) })).toMatch(
      /simulation\.algorithm: this simulation would take about .*expected auto or hierarchical/,
    );
  });

  it("asks auto's choice what it sends: a double binary tree on 4,095 NPUs runs every rank, and is announced", () => {
    // Found by the fuzzer: 4,095 NPUs (not a power of two) on one switch, 1 GiB all-reduce. Auto picks the
    // double binary tree, whose events run on every rank: 2 trees x 2 x 4,094 edges x 128 chunks =
    // 2,096,128 messages, measured 33 s; the estimate used to guess halving-doubling's 24 messages.
    const text = readFileSync(join(ROOT, "examples", "astra-1d-switch.yaml"), "utf8").replace(
      "[4096]",
      "[4095]",
    );
    const sc = loadScenarioText(text, "sw4095.yaml");
    const e = estimateSimulation(sc, sc.file.simulation ?? {});
    expect(e.messages).toBe(2 * 2 * 4094 * 128);
    expect(e.wallS).toBeGreaterThan(ANNOUNCE_WALL_S);
    expect(e.wallS).toBeLessThan(MAX_WALL_S);
    expect(e.notes.join("; ")).toMatch(
      /by double-binary-tree, every rank of one group of 4,095: 2,096,128 messages/,
    );
    // The power-of-two example stays a representative's few messages.
    const pow2 = example("astra-1d-switch.yaml");
    expect(estimateSimulation(pow2, pow2.file.simulation ?? {}).messages).toBeLessThan(100);
  });

  it("counts every rank where the run's analysis finds a step not uniform (a flat all-to-all over two tiers)", () => {
    // Found by the fuzzer: 576 ranks of gb300-nvl72-cluster, NVLink inside each rack and InfiniBand between,
    // ran 331,200 messages (every rank; 7.5 s) where the estimate, trusting a sampled costing analysis, said
    // one representative's 575.
    const sc = loadScenarioText(
      "system: gb300-nvl72-cluster\nsimulation: { run: collective, collective: { op: all-to-all, sizeMiB: 64 } }\n",
      "a2a.yaml",
    );
    expect(sc.system.chips).toBe(576);
    const e = estimateSimulation(sc, sc.file.simulation ?? {});
    expect(e.messages).toBe(576 * 575);
    expect(e.notes.join("; ")).toMatch(
      /all-to-all over 576 ranks at .* by direct, every rank of one group of 576/,
    );
  });
});
