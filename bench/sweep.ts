// Benchmark: sweep points per second on this machine's threads and through a BullMQ queue on a local redis-server
// with 1 and 2 workers, and the queue's overhead per point. Targets: >= 10,000 analytical training points/s on
// 2 cores locally; <= 2 ms overhead per point through the queue, throughput growing with workers.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tokensSweep } from "../node/sweep/fixtures.js";
import { localPool, runLocal } from "../node/sweep/local.js";
import { startWorker, sweepOnQueue } from "../node/sweep/queue.js";
import { haveRedisServer, startRedis } from "../node/sweep/redis-server.js";
import { RowFile } from "../node/sweep/rows.js";
import type { Sweep } from "../src/sweep/expand.js";
import { runPointLines } from "../src/sweep/point.js";

const dir = mkdtempSync(join(tmpdir(), "zettasim-bench-sweep-"));

/** 4 x n analytical training points; the tag names the sweep and gives it its own id. */
const sweepOf = (n: number, tag: string): Sweep => tokensSweep(n, { name: `bench ${tag}`, seed: tag.length });

const rate = (points: number, s: number) => `${Math.round(points / s).toLocaleString("en-US")} points/s`;

async function main() {
  // One thread, in process, warm: the cost of a point itself.
  const warm = sweepOf(2500, "warm");
  await runPointLines(warm, 0, warm.points);
  let t = performance.now();
  const cpu = process.cpuUsage();
  await runPointLines(warm, 0, warm.points);
  const perPointS = (performance.now() - t) / 1000 / warm.points;
  const cpuPerPointS = process.cpuUsage(cpu).user / 1e6 / warm.points;
  // CPU time is the steadier figure on a shared machine: wall time also counts other processes' turns.
  console.log(
    `one thread, in process (warm): ${rate(1, perPointS)} (${(perPointS * 1e6).toFixed(0)} us per point wall, ${(cpuPerPointS * 1e6).toFixed(0)} us CPU)`,
  );

  const local = sweepOf(10_000, "local");
  t = performance.now();
  await runLocal(local, RowFile.open(join(dir, "local.jsonl"), local.id), { threads: 2 });
  const localS = (performance.now() - t) / 1000;
  console.log(
    `local, 2 threads, ${local.points.toLocaleString("en-US")} points, thread start included: ${rate(local.points, localS)}`,
  );

  // The same with the threads already started (a long sweep, or a second sweep in one process).
  const pool = localPool(2);
  const pre = sweepOf(2500, "pool warm-up");
  await runLocal(pre, RowFile.open(join(dir, "pool-warm.jsonl"), pre.id), { pool });
  const again = sweepOf(10_000, "local again");
  t = performance.now();
  await runLocal(again, RowFile.open(join(dir, "local-again.jsonl"), again.id), { pool });
  const warmS = (performance.now() - t) / 1000;
  await pool.close();
  console.log(`local, 2 threads already started: ${rate(again.points, warmS)} (target >= 10,000 on 2 cores)`);

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
      t = performance.now();
      await run(s, `queue-${workers}.jsonl`);
      const qs = (performance.now() - t) / 1000;
      const overheadMs = ((qs * workers) / s.points - perPointS) * 1000;
      console.log(
        `queue, ${workers} worker${workers > 1 ? "s" : ""} (1 thread each), ${s.points.toLocaleString("en-US")} points in jobs of ${s.pointsPerTask}: ${rate(s.points, qs)}, overhead ${overheadMs.toFixed(3)} ms per point (target <= 2)`,
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
