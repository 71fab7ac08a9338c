// How a search runs its chunks: in this thread (browser main thread, tests) or through a pool of workers that Node or the web app supplies.

/** Runs tasks of one kind over a lazily pulled stream of inputs; outputs arrive through `onResult`. */
export interface Executor<I, O> {
  /** Threads the executor runs on (1 in-process). */
  readonly threads: number;
  /**
   * Runs every input (pulled lazily, so later inputs may depend on earlier outputs) and resolves when all
   * are done or `signal` aborts; `cancelled` says which. Outputs arrive in completion order.
   */
  run(
    inputs: Iterable<I>,
    onResult: (output: O, index: number, input: I) => void,
    signal?: AbortSignal,
  ): Promise<{ cancelled: boolean }>;
}

/** An executor that calls `fn` on each input in this thread, yielding to the event loop between tasks so an abort lands. */
export function inProcess<I, O>(fn: (input: I) => O): Executor<I, O> {
  return {
    threads: 1,
    async run(inputs, onResult, signal) {
      let i = 0;
      for (const input of inputs) {
        if (signal?.aborted) return { cancelled: true };
        onResult(fn(input), i++, input);
        // A macrotask turn, so a timer or signal handler that aborts gets to run between chunks.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      return { cancelled: signal?.aborted ?? false };
    },
  };
}
