// The planner's executor in the browser: search chunks spread over Web Workers, inputs pulled one at a time as a
// worker frees up (later chunks carry the best found so far, so they prune more). The pool's workers are copies of the
// core worker (worker.ts, which answers {id, task} messages with the planner's task module), so the core ships once.
import type { Executor } from "../../src/plan/executor.js";

/**
 * An executor over `threads` Web Workers running `script` (the core worker's own URL, `self.location.href` from
 * inside it); close() ends them.
 */
export function webWorkerExecutor<I, O>(threads: number, script: string): Executor<I, O> & { close(): void } {
  const workers = Array.from({ length: threads }, () => new Worker(script, { type: "module" }));
  return {
    threads,
    close: () => {
      for (const w of workers) w.terminate();
    },
    run(inputs, onResult, signal) {
      const it = inputs[Symbol.iterator]();
      let index = 0;
      let running = 0;
      let finished = false;
      return new Promise((resolve, reject) => {
        const done = (cancelled: boolean) => {
          if (finished) return;
          finished = true;
          resolve({ cancelled });
        };
        const feed = (w: Worker) => {
          if (finished) return;
          if (signal?.aborted) {
            if (running === 0) done(true);
            return;
          }
          const next = it.next();
          if (next.done) {
            if (running === 0) done(false);
            return;
          }
          const i = index++;
          const input = next.value;
          running++;
          w.onmessage = (ev: MessageEvent<{ id: number; out?: O; error?: string }>) => {
            running--;
            if (ev.data.error !== undefined) {
              finished = true;
              reject(new Error(ev.data.error));
              return;
            }
            onResult(ev.data.out as O, i, input);
            feed(w);
          };
          w.postMessage({ id: i, task: input });
        };
        for (const w of workers) feed(w);
      });
    },
  };
}
