// Benchmark: sweep points per second on this machine's threads and through a BullMQ queue on a local redis-server
// with 1 and 2 workers, and the queue's overhead per point. Targets: >= 10,000 analytical training points/s on
// 2 cores locally; <= 2 ms overhead per point through the queue, throughput growing with workers.
//
// Wall-clock rates depend on what else the machine runs; CPU time does not (much), so each run also prints its CPU
// per point (this process's threads, plus redis-server's for queue runs) and the rate that CPU time allows on two
// idle cores. The queue's overhead per point is its CPU per point less a local run's.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tokensSweep } from "../node/sweep/fixtures.js";
import { localPool, runLocal } from "../node/sweep/local.js";
import { startWorker, sweepOnQueue } from "../node/sweep/queue.js";
import { haveRedisServer, type RedisServer, startRedis } from "../node/sweep/redis-server.js";
import { RowFile } from "../node/sweep/rows.js";
import type { Sweep } from "../src/sweep/expand.js";
import { runPointLines } from "../src/sweep/point.js";

const dir = mkdtempSync(join(tmpdir(), "zettasim-bench-sweep-"));

/** 4 x n analytical training points; the tag names the sweep and gives it its own id. */
const sweepOf = (n: number, tag: string): Sweep => tokensSweep(n, { name: `bench ${tag}`, seed: tag.length });

const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
const us = (s: number) => `${(s * 1e6).toFixed(0)} us`;

/** CPU seconds of a process by id (utime + stime from /proc, in clock ticks of 1/100 s), 0 where unreadable. */
function processCpuS(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/** Wall and CPU seconds of `fn`: this process (all its threads) and, when given, redis-server. */
async function measure(
  fn: () => Promise<void>,
  redis?: RedisServer,
): Promise<{ wallS: number; cpuS: number }> {
  const r0 = processCpuS(redis?.pid());
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wallS = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wallS, cpuS: (c.user + c.system) / 1e6 + processCpuS(redis?.pid()) - r0 };
}

async function main() {
  // One thread, in process, warm: the cost of a point itself.
  const warm = sweepOf(2500, "warm");
  await runPointLines(warm, 0, warm.points);
  const one = await measure(async () => {
    await runPointLines(warm, 0, warm.points);
  });
  console.log(
    `one thread, in process (warm): ${fmt(warm.points / one.wallS)} points/s wall, ${us(one.cpuS / warm.points)} CPU per point`,
  );

  const local = sweepOf(10_000, "local");
  const cold = await measure(() =>
    runLocal(local, RowFile.open(join(dir, "local.jsonl"), local.id), { threads: 2 }),
  );
  console.log(
    `local, 2 threads, ${fmt(local.points)} points, thread start included: ${fmt(local.points / cold.wallS)} points/s wall, ${us(cold.cpuS / local.points)} CPU per point`,
  );

  // The same with the threads already started (a long sweep, or a second sweep in one process).
  const pool = localPool(2);
  const pre = sweepOf(2500, "pool warm-up");
  await runLocal(pre, RowFile.open(join(dir, "pool-warm.jsonl"), pre.id), { pool });
  const again = sweepOf(10_000, "local again");
  const hot = await measure(() =>
    runLocal(again, RowFile.open(join(dir, "local-again.jsonl"), again.id), { pool }),
  );
  await pool.close();
  const localCpu = hot.cpuS / again.points;
  console.log(
    `local, 2 threads already started: ${fmt(again.points / hot.wallS)} points/s wall, ${us(localCpu)} CPU per point -> ${fmt(2 / localCpu)} points/s on 2 idle cores (target >= 10,000)`,
  );

  if (!haveRedisServer()) {
    console.log("queue: skipped (no redis-server; apt-get install redis-server)");
    return;
  }
  const redis = await startRedis();
  try {
    for (const workers of [1, 2]) {
      const ws = Array.from({ length: workers }, () => startWorker(redis.url, { threads: 1 }));
      const run = async (s: Sweep, name: string) => {
        const rows = RowFile.open(join(dir, name), s.id);
        await sweepOnQueue(redis.url, s, rows);
        rows.close();
      };
      await run(sweepOf(1000, `queue warm-up ${workers}`), `warm-${workers}.jsonl`);
      const s = sweepOf(10_000, `queue ${workers}`);
      const q = await measure(() => run(s, `queue-${workers}.jsonl`), redis);
      const cpu = q.cpuS / s.points;
      console.log(
        `queue, ${workers} worker${workers > 1 ? "s" : ""} (1 thread each), ${fmt(s.points)} points in jobs of ${s.pointsPerTask}: ${fmt(s.points / q.wallS)} points/s wall, ${us(cpu)} CPU per point (coordinator, workers, redis-server) -> overhead ${((cpu - localCpu) * 1e3).toFixed(3)} ms CPU per point (target <= 2)`,
      );
      await Promise.all(ws.map((w) => w.close()));
    }
  } finally {
    await redis.stop();
  }
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
