// Sweeps and Monte Carlo trials through BullMQ on a real redis-server (started here on 127.0.0.1, a free port):
// exactly one result per point under a worker SIGKILL and a Redis restart, equal to a local run; refused jobs.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulateReliability } from "../../src/reliability/monte-carlo.js";
import { reliabilitySetup } from "../../src/reliability/scenario.js";
import { loadScenarioText, parseText } from "../../src/scenario/load.js";
import type { Sweep } from "../../src/sweep/expand.js";
import { runPointLines } from "../../src/sweep/point.js";
import { tokensSweep } from "./fixtures.js";
import { Coordinator, connect, QUEUE_NAME, startWorker, sweepOnQueue } from "./queue.js";
import { haveRedisServer, type RedisServer, startRedis } from "./redis-server.js";
import { RowFile } from "./rows.js";
import { trialsOnQueue } from "./trials.js";

const root = new URL("../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "zettasim-queue-"));
let redis: RedisServer;

/** A sweep of 4 x `n` cheap training points in jobs of `pointsPerTask`. */
const sweepOf = (n: number, pointsPerTask: number) =>
  tokensSweep(n, { name: `queue test ${n}`, pointsPerTask });

/** Runs a sweep through the queue into a fresh JSONL; `onStored` sees progress. Returns the file's text. */
async function viaQueue(sweep: Sweep, name: string, onStored?: (n: number) => void): Promise<string> {
  const out = join(dir, name);
  const rows = RowFile.open(out, sweep.id);
  await sweepOnQueue(redis.url, sweep, rows, { onProgress: (n) => onStored?.(n), backoffMs: 200 });
  rows.finish();
  return readFileSync(out, "utf8");
}

const local = async (s: Sweep) => `${(await runPointLines(s, 0, s.points)).join("\n")}\n`;

function workerProcess(): ChildProcess {
  return spawn(
    process.execPath,
    ["--import", "tsx", join(root, "cli/main.ts"), "worker", redis.url, "--lock-ms", "2000", "--quiet"],
    { stdio: ["ignore", "ignore", "inherit"], cwd: root },
  );
}

const stopped = (p: ChildProcess) =>
  new Promise<void>((r) => {
    if (p.exitCode !== null || p.signalCode !== null) return r();
    p.once("exit", () => r());
    p.kill("SIGTERM");
  });

describe.skipIf(!haveRedisServer())("sweeps on a Redis queue (BullMQ)", () => {
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("10,000 points, three workers, one SIGKILLed mid-run and started again: each result once, as a local run", async () => {
    const sweep = sweepOf(2500, 250);
    expect(sweep.points).toBe(10_000);
    const workers = [workerProcess(), workerProcess(), workerProcess()];
    let killed = false;
    try {
      const text = await viaQueue(sweep, "killed.jsonl", (n) => {
        if (!killed && n >= 2000) {
          killed = true;
          workers[0].kill("SIGKILL");
          workers.push(workerProcess());
        }
      });
      expect(killed).toBe(true);
      const lines = text.trimEnd().split("\n");
      expect(lines).toHaveLength(10_000);
      expect(new Set(lines.map((l) => JSON.parse(l).id)).size).toBe(10_000);
      expect(text).toBe(await local(sweep));
    } finally {
      await Promise.all(workers.map(stopped));
    }
  }, 180_000);

  it("Redis restarted mid-run (same data, AOF on): the sweep completes, as a local run; status shows it", async () => {
    const sweep = sweepOf(500, 20);
    let restarted: Promise<void> | undefined;
    const c = new Coordinator(redis.url);
    const run = viaQueue(sweep, "restart.jsonl", (n) => {
      if (!restarted && n >= 500) restarted = redis.restart();
    });
    // Before any worker runs, status lists the sweep with nothing stored.
    let listed: Awaited<ReturnType<Coordinator["status"]>> = [];
    for (let i = 0; i < 100 && !listed.some((s) => s.id === sweep.id); i++) {
      listed = await c.status();
      await new Promise((r) => setTimeout(r, 50));
    }
    await c.close();
    expect(listed.find((s) => s.id === sweep.id)).toMatchObject({
      kind: "sweep-points",
      total: 2000,
      stored: 0,
    });
    const ws = [startWorker(redis.url, { lockMs: 2000 }), startWorker(redis.url, { lockMs: 2000 })];
    try {
      const text = await run;
      await restarted;
      expect(restarted).toBeDefined();
      expect(text).toBe(await local(sweep));
    } finally {
      await Promise.all(ws.map((w) => w.close()));
    }
  }, 120_000);

  it("reliability Monte Carlo trials split into jobs give exactly the local figures", async () => {
    const file = join(root, "examples/llama3-405b-16k-h100.yaml");
    const text = readFileSync(file, "utf8");
    const sc = loadScenarioText(text, "llama3");
    const setup = reliabilitySetup(sc, { trials: 40 });
    const want = simulateReliability(setup.model, setup.run, { trials: 40, seed: setup.seed });
    const w = startWorker(redis.url, { lockMs: 2000 });
    try {
      const got = await trialsOnQueue(
        redis.url,
        {
          scenario: parseText(text).value as Record<string, unknown>,
          name: "llama3",
          trials: 40,
          seed: setup.seed,
        },
        { trialsPerJob: 7 },
      );
      expect(got).toEqual(want);
    } finally {
      await w.close();
    }
  }, 120_000);

  it("a worker refuses jobs of unknown kinds and malformed payloads, at once and without retries", async () => {
    const q = new Queue(QUEUE_NAME, { connection: connect(redis.url) });
    const w = startWorker(redis.url, { lockMs: 2000 });
    try {
      const opts = { attempts: 3, backoff: { type: "fixed", delay: 100 } };
      const jobs = await Promise.all([
        q.add("exec", { cmd: "rm -rf /" }, opts),
        q.add("sweep-points", { spec: "not-hex", from: 0, to: 5 }, opts),
        q.add("sweep-points", { spec: "0123456789abcdef", from: 5, to: 1 }, opts),
        q.add("sweep-points", { spec: "0123456789abcdef", from: 0, to: 5, extra: "eval(1)" }, opts),
        q.add("sweep-points", { spec: "0123456789abcdef", from: 0, to: 5 }, opts),
      ]);
      for (let i = 0; i < 200; i++) {
        const states = await Promise.all(jobs.map((j) => q.getJobState(j.id as string)));
        if (states.every((s) => s === "failed")) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      for (const j of jobs) {
        const f = await q.getJob(j.id as string);
        expect(await f?.getState()).toBe("failed");
        expect(f?.attemptsMade).toBeLessThanOrEqual(1);
        expect(f?.failedReason).toMatch(/refused job|no spec 0123456789abcdef/);
      }
      expect((await q.getJob(jobs[0].id as string))?.failedReason).toMatch(/unknown kind "exec"/);
    } finally {
      await w.close();
      await q.obliterate({ force: true });
      await q.close();
    }
  }, 60_000);
});
