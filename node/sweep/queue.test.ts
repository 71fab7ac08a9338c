// Sweeps, Monte Carlo trials and the planner through BullMQ on a real redis-server (one per file, started here on
// 127.0.0.1 on a free port): exactly one result per point under a worker SIGKILLed mid-job, a Redis restart and a
// coordinator SIGKILLed mid-run, each equal to an in-process run; seeded runs equal; refused jobs.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planTrain } from "../../src/plan/train.js";
import { plannedScenario } from "../../src/plan/train-report.js";
import { simulateReliability } from "../../src/reliability/monte-carlo.js";
import { reliabilitySetup } from "../../src/reliability/scenario.js";
import { trainingJob } from "../../src/report/results.js";
import { loadScenarioText, parseText, type Scenario } from "../../src/scenario/load.js";
import { planFile } from "../../src/schema/plan.js";
import { simulateScenario } from "../../src/sim/simulate.js";
import { prepareSweep, type Sweep } from "../../src/sweep/expand.js";
import { runPointLines } from "../../src/sweep/point.js";
import { tokensSweep } from "./fixtures.js";
import { Coordinator, connect, QUEUE_NAME, startWorker, sweepOnQueue } from "./queue.js";
import { haveRedisServer, type RedisServer, startRedis } from "./redis-server.js";
import { rerankLayouts } from "./rerank.js";
import { RowFile } from "./rows.js";
import { trialsOnQueue } from "./trials.js";

const root = new URL("../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "zettasim-queue-"));
const LOCK_MS = 2000;
let redis: RedisServer;
/** Two workers in this process, shared by every test (paused where a test needs the queue still). */
let workers: ReturnType<typeof startWorker>[] = [];
let queue: Queue;

/** A sweep of 4 x `n` cheap training points in jobs of `pointsPerTask`; `seed` gives it its own id. */
const sweepOf = (n: number, pointsPerTask: number, seed = 1) =>
  tokensSweep(n, { name: `queue test ${n}`, pointsPerTask, seed });

/** Runs a sweep through the queue into `name` (resumed when it exists); `onStored` sees progress. Returns the text. */
async function viaQueue(sweep: Sweep, name: string, onStored?: (n: number) => void): Promise<string> {
  const out = join(dir, name);
  const rows = RowFile.open(out, sweep.id);
  await sweepOnQueue(redis.url, sweep, rows, { onProgress: (n) => onStored?.(n), backoffMs: 200 });
  rows.finish();
  return readFileSync(out, "utf8");
}

/** The sweep's rows computed in this thread, as the JSONL a finished sweep holds. */
const inProcess = async (s: Sweep) => `${(await runPointLines(s, 0, s.points)).join("\n")}\n`;

/** `zettasim ARGS` in a process of its own. */
const cli = (...args: string[]): ChildProcess =>
  spawn(process.execPath, ["--import", "tsx", join(root, "cli/main.ts"), ...args], {
    stdio: ["ignore", "ignore", "inherit"],
    cwd: root,
  });

const stopped = (p: ChildProcess) =>
  new Promise<void>((r) => {
    if (p.exitCode !== null || p.signalCode !== null) return r();
    p.once("exit", () => r());
    p.kill("SIGTERM");
  });

/** Waits until `cond` holds (polled every 20 ms); fails naming `what` after `ms`. */
async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Whether the worker named `name` holds a job right now. */
const holdsJob = async (name: string) => (await queue.getActive()).some((j) => j?.processedBy === name);
const pause = () => Promise.all(workers.map((w) => w.worker.pause()));
const resume = () => {
  for (const w of workers) w.worker.resume();
};

describe.skipIf(!haveRedisServer())("work on a Redis queue (BullMQ)", () => {
  beforeAll(async () => {
    redis = await startRedis();
    queue = new Queue(QUEUE_NAME, { connection: connect(redis.url) });
    queue.on("error", () => {});
    workers = [1, 2].map((i) => startWorker(redis.url, { lockMs: LOCK_MS, name: `here-${i}` }));
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await queue?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("10,000 points, three workers, one process SIGKILLed mid-job and started again: each result once, as in-process", async () => {
    const sweep = sweepOf(2500, 250);
    expect(sweep.points).toBe(10_000);
    await pause();
    const procs = [cli("worker", redis.url, "--lock-ms", String(LOCK_MS), "--name", "victim", "--quiet")];
    // Computed while the worker process starts.
    const want = await inProcess(sweep);
    let stored = 0;
    const run = viaQueue(sweep, "killed.jsonl", (n) => {
      stored = n;
    });
    try {
      // The process takes the first job alone; then all three work until the kill.
      await until(() => holdsJob("victim"), "the worker process to take a job");
      resume();
      await until(async () => stored >= 2000 && (await holdsJob("victim")), "2,000 points stored");
      procs[0].kill("SIGKILL");
      procs.push(cli("worker", redis.url, "--lock-ms", String(LOCK_MS), "--name", "again", "--quiet"));
      const text = await run;
      expect(procs[0].signalCode).toBe("SIGKILL");
      const lines = text.trimEnd().split("\n");
      expect(lines).toHaveLength(10_000);
      expect(new Set(lines.map((l) => /"id":"([0-9a-f]{16})"/.exec(l)?.[1])).size).toBe(10_000);
      expect(text).toBe(want);
    } finally {
      resume();
      await Promise.all(procs.map(stopped));
    }
  }, 240_000);

  it("Redis restarted mid-run (same data, AOF on): the sweep completes, as in-process; status shows it", async () => {
    const sweep = sweepOf(500, 20);
    let restarted: Promise<void> | undefined;
    await pause();
    const run = viaQueue(sweep, "restart.jsonl", (n) => {
      if (!restarted && n >= 500) restarted = redis.restart();
    });
    // Before any worker runs, status lists the sweep with nothing stored.
    const c = new Coordinator(redis.url);
    let listed: Awaited<ReturnType<Coordinator["status"]>> = [];
    try {
      await until(async () => {
        listed = await c.status();
        return listed.some((s) => s.id === sweep.id);
      }, "the sweep in status");
    } finally {
      await c.close();
      resume();
    }
    expect(listed.find((s) => s.id === sweep.id)).toMatchObject({
      kind: "sweep-points",
      total: 2000,
      stored: 0,
    });
    const text = await run;
    await restarted;
    expect(restarted).toBeDefined();
    expect(text).toBe(await inProcess(sweep));
  }, 120_000);

  it("a coordinator SIGKILLed mid-run, run again with the same --out: every point once, as in-process", async () => {
    const sweep = sweepOf(500, 100, 2);
    const file = join(dir, "coordinated.json");
    const out = join(dir, "coordinated.jsonl");
    writeFileSync(file, JSON.stringify(sweep.spec));
    const lines = () => (existsSync(out) ? readFileSync(out, "utf8").split("\n").length - 1 : 0);
    const coordinator = cli("sweep", file, "--queue", redis.url, "--out", out, "--json");
    const want = await inProcess(sweep);
    try {
      await until(() => lines() > 0, "the first rows in the output");
      await pause();
      coordinator.kill("SIGKILL");
      await stopped(coordinator);
    } finally {
      resume();
    }
    expect(coordinator.signalCode).toBe("SIGKILL");
    expect(lines()).toBeLessThan(sweep.points);
    expect(await viaQueue(sweep, "coordinated.jsonl")).toBe(want);
  }, 120_000);

  it("seeded runs through the queue equal in-process ones: reliability points per seed, Monte Carlo in blocks", async () => {
    const file = join(root, "examples/llama3-405b-16k-h100.yaml");
    const text = readFileSync(file, "utf8");
    const base = parseText(text).value as Record<string, unknown>;
    const seeds = prepareSweep({
      run: "reliability",
      base,
      axes: [
        { field: "reliability.trials", values: [20] },
        { field: "seed", values: [1, 2, 3] },
      ],
    });
    const rows = (await viaQueue(seeds, "seeds.jsonl")).trimEnd().split("\n");
    expect(`${rows.join("\n")}\n`).toBe(await inProcess(seeds));
    expect(new Set(rows.map((r) => JSON.stringify(JSON.parse(r).result))).size).toBe(3);

    const sc = loadScenarioText(text, "llama3");
    const setup = reliabilitySetup(sc, { trials: 40 });
    const want = simulateReliability(setup.model, setup.run, { trials: 40, seed: setup.seed });
    const got = await trialsOnQueue(
      redis.url,
      { scenario: base, name: "llama3", trials: 40, seed: setup.seed },
      { trialsPerJob: 7 },
    );
    expect(got).toEqual(want);
  }, 120_000);

  it("the planner on the queue: run: plan points and plan train's re-ranking equal in-process runs", async () => {
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
    const plans = prepareSweep({
      run: "plan",
      base: sc.file,
      axes: [{ field: "training.chips", values: [16, 32] }],
    });
    expect(await viaQueue(plans, "plans.jsonl")).toBe(await inProcess(plans));

    const job = trainingJob(sc);
    const plan = sc.file.plan ?? planFile.parse({});
    const r = await planTrain({ system: job.system, model: job.model, training: job.training, plan });
    const rows = await rerankLayouts(sc.file, r.top, { queue: redis.url });
    expect(rows.map((x) => x.rank)).toEqual([1, 2]);
    rows.forEach((x, i) => {
      const file = plannedScenario(sc.file, r.top[i]) as Scenario["file"];
      const direct = simulateScenario({ ...sc, file });
      expect(x.simulatedStepTimeS).toBe(direct.stepTimeS);
      expect(x.analyticalStepTimeS).toBe(r.top[i].estimate.stepTimeS);
    });
  }, 120_000);

  it("a worker refuses jobs of unknown kinds and malformed payloads, at once and without retries", async () => {
    const opts = { attempts: 3, backoff: { type: "fixed", delay: 100 } };
    const jobs = await Promise.all([
      queue.add("exec", { cmd: "rm -rf /" }, opts),
      queue.add("sweep-points", { spec: "not-hex", from: 0, to: 5 }, opts),
      queue.add("sweep-points", { spec: "0123456789abcdef", from: 5, to: 1 }, opts),
      queue.add("sweep-points", { spec: "0123456789abcdef", from: 0, to: 5, extra: "eval(1)" }, opts),
      queue.add("sweep-points", { spec: "0123456789abcdef", from: 0, to: 5 }, opts),
    ]);
    await until(
      async () =>
        (await Promise.all(jobs.map((j) => queue.getJobState(j.id as string)))).every((s) => s === "failed"),
      "every job to fail",
      20_000,
    );
    for (const j of jobs) {
      const f = await queue.getJob(j.id as string);
      expect(f?.attemptsMade).toBeLessThanOrEqual(1);
      expect(f?.failedReason).toMatch(/refused job|no spec 0123456789abcdef/);
    }
    expect((await queue.getJob(jobs[0].id as string))?.failedReason).toMatch(/unknown kind "exec"/);
    await queue.clean(0, 100, "failed");
  }, 60_000);
});
