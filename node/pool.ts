// A pool of worker threads over piscina: runs tasks of one worker module on every core, with no service to start.
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";

/** A running pool: `run` sends one task to a free thread and resolves with what the module's default export returns. */
export interface Pool<Task, Result> {
  run(task: Task): Promise<Result>;
  /** Threads the pool runs at most. */
  readonly threads: number;
  close(): Promise<void>;
}

export interface PoolOptions {
  /** Threads to run (default: the cores Node reports). */
  threads?: number;
}

/**
 * Starts a pool whose threads load `module` (a file URL; its default export handles one task). From TypeScript
 * sources (tests, tsx) the threads load tsx first, so the same module runs unbuilt. Threads start lazily and stay
 * until `close`. Cost: a thread start (tens of ms) per thread, then a message round trip per task.
 */
export function createPool<Task, Result>(module: URL, opts: PoolOptions = {}): Pool<Task, Result> {
  const threads = Math.max(1, Math.floor(opts.threads ?? availableParallelism()));
  const filename = fileURLToPath(module);
  const fromSource = filename.endsWith(".ts");
  const hasTsx = process.execArgv.some((a) => a.includes("tsx"));
  const piscina = new Piscina({
    filename,
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: 60_000,
    execArgv: fromSource && !hasTsx ? [...process.execArgv, "--import", "tsx"] : process.execArgv,
  });
  return {
    threads,
    run: (task: Task) => piscina.run(task) as Promise<Result>,
    close: () => piscina.destroy(),
  };
}

/** A worker module beside `from` (a module's import.meta.url): `name.ts` when running from source, else `name.js`. */
export function siblingModule(from: string, name: string): URL {
  return new URL(`./${name}${from.endsWith(".ts") ? ".ts" : ".js"}`, from);
}
