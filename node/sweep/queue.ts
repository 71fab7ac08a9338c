// Work on Redis through BullMQ: a coordinator that stores a spec, enqueues its ranges as jobs and gathers their
// entries, and workers that run checked jobs. Each entry is stored once per key (HSETNX), so a job that runs twice
// (a killed worker, a retry, a restarted Redis) still leaves exactly one result per point or trial block.
import { hostname } from "node:os";
import { type Job, Queue, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import { ZettasimError } from "../../src/core/errors.js";
import type { Sweep } from "../../src/sweep/expand.js";
import { taskModuleUrl, WorkerPool } from "../pool.js";
import { checkJob, type Entry, type JobKind, RefusedJob, sweepPoints } from "./jobs.js";
import type { RowFile } from "./rows.js";
import type { ThreadTask } from "./thread.js";

/** The one BullMQ queue all zettasim work goes through. */
export const QUEUE_NAME = "zettasim";

const KEY = {
  spec: (id: string) => `zettasim:spec:${id}`,
  results: (id: string) => `zettasim:res:${id}`,
  log: (id: string) => `zettasim:log:${id}`,
  meta: (id: string) => `zettasim:meta:${id}`,
  active: "zettasim:active",
};

/**
 * Stores entries once each: HSETNX into the results hash, and only for a new key RPUSH the key onto the log that
 * coordinators read in order. One script, so the hash and the log never disagree (also across an AOF reload).
 */
const STORE_ONCE = `
local n = 0
for i = 1, #ARGV, 2 do
  if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) == 1 then
    redis.call('RPUSH', KEYS[2], ARGV[i])
    n = n + 1
  end
end
return n`;

type StoreRedis = Redis & {
  zettasimStoreOnce(results: string, log: string, ...kv: string[]): Promise<number>;
};

/** Checks a `redis://host:port` address, naming `flag` in the error. */
export function checkRedisUrl(url: string, flag: string): string {
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== "redis:" && u.protocol !== "rediss:") || !u.hostname)
    throw new ZettasimError([
      { path: [flag], message: "not a Redis address", value: url, expected: "redis://HOST:PORT" },
    ]);
  return url;
}

/** A connection that waits out a Redis restart (retries every second at most) instead of failing commands. */
export function connect(url: string): StoreRedis {
  const r = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(times * 100, 1000),
  }) as StoreRedis;
  r.defineCommand("zettasimStoreOnce", { numberOfKeys: 2, lua: STORE_ONCE });
  r.on("error", () => {
    // Reconnects by itself; commands wait meanwhile. Callers report what matters.
  });
  return r;
}

/** Stores entries of spec `id` once each; returns how many were new. */
export async function storeOnce(redis: StoreRedis, id: string, entries: Entry[]): Promise<number> {
  if (entries.length === 0) return 0;
  return redis.zettasimStoreOnce(KEY.results(id), KEY.log(id), ...entries.flat());
}

const jobId = (kind: string, spec: string, from: number, to: number) => `${kind}-${spec}-${from}-${to}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a coordinator needs to run one spec through the queue. */
export interface QueueRun<Ctx> {
  kind: JobKind<Ctx>;
  ctx: Ctx;
  id: string;
  /** The spec as plain JSON; workers fetch it by id and prepare it themselves. */
  spec: unknown;
  name: string;
  unitsPerJob: number;
  /** Keys already held elsewhere (rows in the output file): their ranges are not enqueued. */
  have?: (key: string) => boolean;
  /** New entries, in the order they were stored. */
  onEntries(entries: Entry[]): void;
  /** Keys stored so far (including `have`) of all keys. */
  onProgress?(stored: number, total: number): void;
  /** Retries per job (default 3) and the first backoff delay (default 1 s, doubling). */
  attempts?: number;
  backoffMs?: number;
}

/** Progress of one spec in Redis, for `zettasim sweep status`. */
export interface SpecStatus {
  id: string;
  kind: string;
  name: string;
  total: number;
  stored: number;
  createdMs: number;
}

/** Coordinates work on a queue: submit a spec, wait for every key, gather the entries. */
export class Coordinator {
  readonly redis: StoreRedis;
  readonly queue: Queue;
  private readonly queueRedis: Redis;

  constructor(url: string) {
    this.redis = connect(url);
    this.queueRedis = connect(url);
    this.queue = new Queue(QUEUE_NAME, { connection: this.queueRedis });
    this.queue.on("error", () => {});
  }

  /**
   * Runs a spec to the end: stores it, enqueues the ranges not yet held, gathers entries as workers store them,
   * and re-enqueues a range whose job vanished or finished without its keys (Redis restarted), or records a range
   * whose job failed for good. Returns when every key is stored; then removes the spec's keys from Redis.
   */
  async run<Ctx>(r: QueueRun<Ctx>): Promise<void> {
    const total = r.kind.units(r.ctx);
    const ranges: [number, number][] = [];
    const missing = new Map<string, number>();
    let held = 0;
    for (let from = 0; from < total; from += r.unitsPerJob) {
      const to = Math.min(total, from + r.unitsPerJob);
      const keys = r.kind.keys(r.ctx, from, to);
      const need = keys.filter((k) => !r.have?.(k));
      held += keys.length - need.length;
      if (need.length === 0) continue;
      const i = ranges.length;
      ranges.push([from, to]);
      for (const k of need) missing.set(k, i);
    }
    const keysTotal = held + missing.size;
    r.onProgress?.(held, keysTotal);
    if (missing.size === 0) return;
    await this.retrying(async () => {
      await this.redis.set(KEY.spec(r.id), JSON.stringify(r.spec));
      await this.redis.hset(KEY.meta(r.id), {
        kind: r.kind.name,
        name: r.name,
        total: String(keysTotal),
        createdMs: String(Date.now()),
      });
      await this.redis.sadd(KEY.active, r.id);
    });
    const jobOpts = (from: number, to: number) => ({
      jobId: jobId(r.kind.name, r.id, from, to),
      attempts: r.attempts ?? 3,
      backoff: { type: "exponential", delay: r.backoffMs ?? 1000 },
      removeOnComplete: true,
      removeOnFail: false,
    });
    const add = (list: [number, number][]) =>
      this.retrying(async () => {
        for (let i = 0; i < list.length; i += 1000)
          await this.queue.addBulk(
            list.slice(i, i + 1000).map(([from, to]) => ({
              name: r.kind.name,
              data: { spec: r.id, from, to },
              opts: jobOpts(from, to),
            })),
          );
      });
    await add(ranges);
    let cursor = 0;
    let lastProgress = Date.now();
    let lastCheck = Date.now();
    while (missing.size > 0) {
      const got = await this.retrying(() => this.collect(r.id, cursor));
      cursor = got.cursor;
      const fresh = got.entries.filter(([k]) => missing.delete(k));
      if (fresh.length) {
        r.onEntries(fresh);
        r.onProgress?.(keysTotal - missing.size, keysTotal);
        lastProgress = Date.now();
      }
      if (missing.size === 0) break;
      if (got.entries.length === 0) await sleep(100);
      // Now and then, and whenever nothing came for a while, look at the jobs still owed.
      const quiet = Date.now() - lastProgress > 2000;
      if (Date.now() - lastCheck > (quiet ? 1000 : 10_000)) {
        lastCheck = Date.now();
        const owed = new Set(missing.values());
        await this.retrying(() =>
          this.reconcile(
            r,
            [...owed].map((i) => ranges[i]),
            add,
          ),
        );
      }
    }
    await this.retrying(async () => {
      await this.redis.del(KEY.spec(r.id), KEY.results(r.id), KEY.log(r.id), KEY.meta(r.id));
      await this.redis.srem(KEY.active, r.id);
    });
  }

  /** Entries stored after position `cursor` of the spec's log (from the start again if the log got shorter). */
  private async collect(id: string, cursor: number): Promise<{ entries: Entry[]; cursor: number }> {
    const len = await this.redis.llen(KEY.log(id));
    const from = len < cursor ? 0 : cursor;
    if (len <= from) return { entries: [], cursor: len };
    const to = Math.min(len, from + 5000);
    const keys = await this.redis.lrange(KEY.log(id), from, to - 1);
    const values = await this.redis.hmget(KEY.results(id), ...keys);
    const entries: Entry[] = [];
    keys.forEach((k, i) => {
      const v = values[i];
      if (v !== null) entries.push([k, v]);
    });
    return { entries, cursor: to };
  }

  /** Jobs owed keys: re-add a vanished or emptied one; record one that failed for good. */
  private async reconcile<Ctx>(
    r: QueueRun<Ctx>,
    owed: [number, number][],
    add: (l: [number, number][]) => Promise<void>,
  ): Promise<void> {
    const again: [number, number][] = [];
    for (const [from, to] of owed) {
      const id = jobId(r.kind.name, r.id, from, to);
      const state = await this.queue.getJobState(id);
      if (state === "unknown" || state === "completed") {
        if (state === "completed") await this.queue.remove(id);
        again.push([from, to]);
      } else if (state === "failed") {
        const job = await this.queue.getJob(id);
        const reason = job?.failedReason ?? "unknown reason";
        const entries = r.kind.failed(
          r.ctx,
          from,
          to,
          `${reason} (after ${job?.attemptsMade ?? "?"} attempts)`,
        );
        if (entries.length === 0)
          throw new Error(`${r.kind.name} ${from}-${to} of ${r.name} failed after all retries: ${reason}`);
        await storeOnce(this.redis, r.id, entries);
        await job?.remove();
      }
    }
    if (again.length) await add(again);
  }

  /** Runs `fn` until it succeeds, waiting out Redis being away (restarting); other errors propagate. */
  private async retrying<T>(fn: () => Promise<T>): Promise<T> {
    for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
      try {
        return await fn();
      } catch (e) {
        const msg = (e as Error)?.message ?? "";
        if (
          !/ECONNREFUSED|ECONNRESET|Connection is closed|LOADING|EPIPE|ETIMEDOUT|Stream isn't writeable/.test(
            msg,
          )
        )
          throw e;
        await sleep(wait);
      }
    }
  }

  /** Every spec in progress on this Redis, with how far it got. */
  async status(): Promise<SpecStatus[]> {
    const ids = (await this.redis.smembers(KEY.active)).sort();
    const out: SpecStatus[] = [];
    for (const id of ids) {
      const m = await this.redis.hgetall(KEY.meta(id));
      const stored = await this.redis.hlen(KEY.results(id));
      out.push({
        id,
        kind: m.kind ?? "?",
        name: m.name ?? "?",
        total: Number(m.total ?? 0),
        stored,
        createdMs: Number(m.createdMs ?? 0),
      });
    }
    return out;
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.queueRedis.disconnect();
    this.redis.disconnect();
  }
}

/** Options of a queue worker. */
export interface WorkerOptions {
  /** Jobs run at once, each on a thread of its own (default 1). */
  threads?: number;
  /** How long a job's lock lasts without renewal, ms (default 10 s): a killed worker's job is retried after it. */
  lockMs?: number;
  /** Stored on each job this worker takes (BullMQ's `processedBy`), for status and tests (default host:pid). */
  name?: string;
  /** Called for each job refused (unknown kind, malformed payload) and each job that failed. */
  onEvent?(what: string): void;
}

/**
 * Starts a worker that runs zettasim jobs and nothing else: the job's kind must be known and its payload well
 * formed (else the job fails at once, without retries); the spec is fetched by id and checked like a file.
 * Jobs run on worker threads, so the lock is renewed however long a point takes. Returns the worker; `close` it.
 */
export function startWorker(
  url: string,
  opts: WorkerOptions = {},
): { worker: Worker; close(): Promise<void> } {
  const threads = Math.max(1, opts.threads ?? 1);
  const redis = connect(url);
  const pool = new WorkerPool<ThreadTask, Entry[]>(taskModuleUrl("./thread", import.meta.url), threads);
  const specs = new Map<string, unknown>();
  const processor = async (job: Job) => {
    let checked: ReturnType<typeof checkJob>;
    try {
      checked = checkJob(job.name, job.data);
    } catch (e) {
      if (e instanceof RefusedJob) {
        opts.onEvent?.(`${job.id}: ${e.message}`);
        throw new UnrecoverableError(e.message);
      }
      throw e;
    }
    const id = checked.payload.spec;
    let spec = specs.get(id);
    if (spec === undefined) {
      const text = await redis.get(KEY.spec(id));
      if (text === null)
        throw new UnrecoverableError(`no spec ${id} in Redis (its coordinator finished or was removed)`);
      try {
        spec = JSON.parse(text);
      } catch {
        throw new UnrecoverableError(`spec ${id} is not JSON`);
      }
      if (specs.size >= 16) specs.clear();
      specs.set(id, spec);
    }
    let entries: Entry[];
    try {
      const ran = await pool.run([{ name: job.name, data: job.data, spec }]);
      entries = ran.outputs[0] as Entry[];
    } catch (e) {
      // A spec that does not check out never will: fail at once.
      const msg = (e as Error)?.message ?? String(e);
      if (/^(invalid input|refused job)/.test(msg)) throw new UnrecoverableError(msg);
      throw e;
    }
    return { stored: await storeOnce(redis, id, entries), entries: entries.length };
  };
  const workerRedis = connect(url);
  const worker = new Worker(QUEUE_NAME, processor, {
    connection: workerRedis,
    concurrency: threads,
    name: opts.name ?? `${hostname()}:${process.pid}`,
    lockDuration: opts.lockMs ?? 10_000,
    stalledInterval: Math.max(500, Math.floor((opts.lockMs ?? 10_000) / 2)),
    maxStalledCount: 10,
  });
  worker.on("error", () => {});
  worker.on("failed", (job, err) => opts.onEvent?.(`${job?.id ?? "?"} failed: ${err.message}`));
  return {
    worker,
    close: async () => {
      await worker.close();
      await pool.close();
      workerRedis.disconnect();
      redis.disconnect();
    },
  };
}

/**
 * Runs every point of `sweep` not yet in `rows` through the queue at `url`, appending rows as workers store them.
 * Cost: the points, spread over the workers, plus a queue round trip per job of `sweep.pointsPerTask` points.
 */
export async function sweepOnQueue(
  url: string,
  sweep: Sweep,
  rows: RowFile,
  opts: Pick<QueueRun<Sweep>, "onProgress" | "backoffMs"> = {},
): Promise<void> {
  const c = new Coordinator(url);
  try {
    await c.run({
      kind: sweepPoints,
      ctx: sweep,
      id: sweep.id,
      spec: sweep.spec,
      name: sweep.name,
      unitsPerJob: sweep.pointsPerTask,
      have: (k) => rows.has(k),
      onEntries: (e) => rows.append(e),
      ...opts,
    });
  } finally {
    await c.close();
  }
}
