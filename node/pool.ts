// Worker-thread pool over tinypool: runs one task module over a stream of inputs on every core, with progress and cancel.
//
// Why tinypool 2 (not piscina 5): both run on Node 20 and both cancel through an AbortSignal, but tinypool has no
// dependencies at all (piscina 5 pulls an optional native addon, @napi-rs/nice, with per-platform binaries) and is
// a few kB; it is maintained by the tinylibs group and ran Vitest's workers for years. We only need "run this
// module's default export on that input in a worker", which both do equally.
//
// A task module is any ES module whose default export maps one structured-clonable input to one output (or a
// promise of it). The same module can be imported and called in-process, so the core never depends on the pool.
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import Tinypool from "tinypool";

/** Options of one run over a stream of inputs. */
export interface PoolRunOptions<I, O> {
  /**
   * Called as each output arrives (in completion order, not input order), with the input's position in the
   * stream. The input stream is pulled lazily, so a generator may read what earlier outputs taught it.
   */
  onResult?: (output: O, index: number, input: I) => void;
  /** Called after each output with the outputs received so far and the total when the stream's length is known. */
  onProgress?: (done: number, total: number | undefined) => void;
  /**
   * Aborting stops pulling inputs and drops queued tasks; running tasks finish (their outputs are kept) unless
   * `terminateRunning` is set, which stops their threads at once. The run resolves with what finished.
   */
  signal?: AbortSignal;
  terminateRunning?: boolean;
  /** Most tasks queued or running at once (default 2 x threads): bounds memory and lets the stream adapt. */
  inFlight?: number;
}

/** What a run produced: outputs by input position (holes where a task did not finish), and whether it was cut short. */
export interface PoolRunResult<O> {
  outputs: (O | undefined)[];
  completed: number;
  cancelled: boolean;
}

/** Threads to use by default: every core the process may use. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/**
 * URL of a task module next to `base` (an `import.meta.url`), with the extension of the running code:
 * `.ts` under tsx or vitest, `.js` in the build. `relative` is written without an extension.
 */
export function taskModuleUrl(relative: string, base: string): URL {
  const ext = base.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`${relative}${ext}`, base);
}

/** A pool of worker threads running one task module; create once, `run` as often as needed, then `close`. */
export class WorkerPool<I, O> {
  readonly threads: number;
  private pool: Tinypool;
  private readonly options: ConstructorParameters<typeof Tinypool>[0];
  /** Set when the task module is TypeScript: inputs are wrapped for the tsx shim. */
  private readonly tsModule: string | undefined;

  /** `taskModule`: file URL or path of the module whose default export runs one input. Cost: starts threads lazily. */
  constructor(taskModule: string | URL, threads = defaultThreads()) {
    const filename = typeof taskModule === "string" ? taskModule : fileURLToPath(taskModule);
    this.threads = Math.max(1, Math.floor(threads));
    // TypeScript sources (tests, tsx) run through a shim that registers tsx's loader in the worker (Node 20
    // workers ignore `--import` in execArgv); the build's JavaScript runs directly.
    const ts = filename.endsWith(".ts");
    this.tsModule = ts ? pathToFileURL(filename).href : undefined;
    this.options = {
      filename: ts ? fileURLToPath(new URL("./pool-ts-worker.mjs", import.meta.url)) : filename,
      minThreads: this.threads,
      maxThreads: this.threads,
      isolateWorkers: false,
    };
    this.pool = new Tinypool(this.options);
  }

  /**
   * Runs the task module over `inputs`, pulled lazily with at most `inFlight` tasks outstanding. Resolves when
   * every input has run, or when `signal` aborts (with the outputs that finished before). A task that throws
   * rejects the run with its error after the others are cancelled.
   */
  async run(inputs: Iterable<I>, opts: PoolRunOptions<I, O> = {}): Promise<PoolRunResult<O>> {
    const total = Array.isArray(inputs) ? inputs.length : undefined;
    const iter = inputs[Symbol.iterator]();
    const limit = Math.max(1, opts.inFlight ?? 2 * this.threads);
    const outputs: (O | undefined)[] = [];
    let aborted = opts.signal?.aborted ?? false;
    let completed = 0;
    let next = 0;
    let exhausted = false;
    let failure: unknown;
    const running = new Set<Promise<void>>();
    // Cancellation is ours, not tinypool's: queued tasks are dropped, running ones finish (or their threads
    // are stopped), and no task promise is left to reject after the run.
    const onAbort = () => {
      aborted = true;
      this.pool.cancelPendingTasks();
      if (opts.terminateRunning) void this.restart();
    };
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const launch = (): boolean => {
      if (exhausted || aborted || failure !== undefined) return false;
      const step = iter.next();
      if (step.done) {
        exhausted = true;
        return false;
      }
      const index = next++;
      const input = step.value;
      const p: Promise<void> = this.pool
        .run(this.tsModule ? { module: this.tsModule, input } : input)
        .then((out: O) => {
          outputs[index] = out;
          completed++;
          opts.onResult?.(out, index, input);
          opts.onProgress?.(completed, total);
        })
        .catch((e: unknown) => {
          if (aborted) return;
          if (failure === undefined) failure = e;
          this.pool.cancelPendingTasks();
        })
        .finally(() => running.delete(p));
      running.add(p);
      return true;
    };
    try {
      while (running.size < limit && launch()) {}
      while (running.size > 0) {
        await Promise.race(running);
        while (running.size < limit && launch()) {}
      }
    } finally {
      opts.signal?.removeEventListener("abort", onAbort);
    }
    if (failure !== undefined) throw failure;
    return { outputs, completed, cancelled: aborted };
  }

  /** Stops every thread (running tasks end with an error the caller ignores) and starts fresh ones. */
  private async restart(): Promise<void> {
    const old = this.pool;
    this.pool = new Tinypool(this.options);
    await old.destroy();
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

/** One-shot helper: starts a pool, runs `inputs` through `taskModule`, closes the pool. */
export async function runTasks<I, O>(
  taskModule: string | URL,
  inputs: Iterable<I>,
  opts: PoolRunOptions<I, O> & { threads?: number } = {},
): Promise<PoolRunResult<O>> {
  const pool = new WorkerPool<I, O>(taskModule, opts.threads);
  try {
    return await pool.run(inputs, opts);
  } finally {
    await pool.close();
  }
}
