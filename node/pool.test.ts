// The worker pool: every input runs once on a worker thread, outputs land by position, progress counts up, cancel and errors stop the run.
import { afterAll, describe, expect, it } from "vitest";
import type { TrainChunkResult, TrainTask } from "../src/plan/train-search.js";
import { runTasks, taskModuleUrl, WorkerPool } from "./pool.js";
import type { TestInput } from "./pool-test-task.js";

const TASK = taskModuleUrl("./pool-test-task", import.meta.url);
type Out = { n: number; square: number; thread: number };

describe("worker pool", () => {
  // One pool for the tests that run on an existing pool: threads start once (each start loads tsx).
  const shared = new WorkerPool<TestInput, Out>(TASK, 2);
  afterAll(() => shared.close());

  it("runs every input on worker threads and returns outputs by input position", async () => {
    const inputs: TestInput[] = Array.from({ length: 40 }, (_, i) => ({ n: i, waitMs: i % 3 }));
    const progress: number[] = [];
    const r = await runTasks<TestInput, Out>(TASK, inputs, {
      threads: 2,
      onProgress: (done, total) => {
        expect(total).toBe(40);
        progress.push(done);
      },
    });
    expect(r.cancelled).toBe(false);
    expect(r.completed).toBe(40);
    expect(r.outputs.map((o) => o?.square)).toEqual(inputs.map((x) => x.n * x.n));
    expect(progress).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // Ran off the main thread (thread 0).
    expect(r.outputs.every((o) => (o?.thread ?? 0) > 0)).toBe(true);
  });

  it("pulls a lazy stream, so later inputs can depend on earlier outputs", async () => {
    const pool = shared;
    let best = 0;
    function* stream(): Generator<TestInput> {
      for (let i = 0; i < 12; i++) yield { n: i + best };
    }
    const r = await pool.run(stream(), { inFlight: 1, onResult: (o) => (best = Math.max(best, o.n)) });
    // One in flight: each input saw the previous output, so n doubles-ish instead of counting 0..11.
    expect(r.outputs.at(-1)?.n).toBeGreaterThan(11);
    expect(r.completed).toBe(12);
  });

  it("stops on abort with what finished, and can run again afterwards", async () => {
    const pool = shared;
    const ac = new AbortController();
    const inputs = Array.from({ length: 50 }, (_, i) => ({ n: i, waitMs: 20 }));
    const r = await pool.run(inputs, {
      signal: ac.signal,
      onResult: (_o, _i) => {
        if (!ac.signal.aborted) ac.abort();
      },
    });
    expect(r.cancelled).toBe(true);
    expect(r.completed).toBeGreaterThanOrEqual(1);
    expect(r.completed).toBeLessThan(50);
    const again = await pool.run([{ n: 3 }]);
    expect(again.outputs[0]?.square).toBe(9);
  });

  it("with terminateRunning, stops running tasks at once", async () => {
    const pool = shared;
    await pool.run([{ n: 0 }, { n: 1 }]); // threads up
    const ac = new AbortController();
    const slow = Array.from({ length: 4 }, (_, i) => ({ n: i, waitMs: 60_000 }));
    setTimeout(() => ac.abort(), 200);
    const r = await pool.run(slow, { signal: ac.signal, terminateRunning: true });
    expect(r.cancelled).toBe(true);
    expect(r.completed).toBe(0);
    const again = await pool.run([{ n: 4 }]);
    expect(again.outputs[0]?.square).toBe(16);
  });

  it("rejects with a task's error", async () => {
    await expect(
      runTasks<TestInput, Out>(TASK, [{ n: 1 }, { n: 2, fail: true }, { n: 3 }], { threads: 2 }),
    ).rejects.toThrow(/task 2 failed on request/);
  });
});

describe("the planner on worker threads", () => {
  it("finds the same layouts as in one thread, with every layout considered", async () => {
    const { resolveModel } = await import("../src/catalog/models-resolve.js");
    const { resolveSystem } = await import("../src/catalog/resolve.js");
    const { planTrain } = await import("../src/plan/train.js");
    const problem = {
      system: resolveSystem("dgx-h100-superpod"),
      model: resolveModel("llama3-8b"),
      training: { seqLength: 4096, globalBatchSize: 64 },
      plan: { chips: 32, top: 5, space: { microBatchSize: [1, 2], cp: [1] } },
    };
    const pool = new WorkerPool<TrainTask, TrainChunkResult>(
      taskModuleUrl("../src/plan/task", import.meta.url),
      2,
    );
    try {
      const threaded = await planTrain(problem, {
        chunkLayouts: 1000,
        executor: { threads: 2, run: (inputs, onResult, signal) => pool.run(inputs, { onResult, signal }) },
      });
      const single = await planTrain(problem);
      expect(threaded.exact).toBe(true);
      expect(threaded.considered).toBe(threaded.space.layouts);
      expect(threaded.top.map((l) => [l.index, l.estimate.stepTimeS])).toEqual(
        single.top.map((l) => [l.index, l.estimate.stepTimeS]),
      );
    } finally {
      await pool.close();
    }
  });
});
