// Task module for the pool's tests: squares a number, optionally after a wait, or fails on request.
export interface TestInput {
  n: number;
  waitMs?: number;
  fail?: boolean;
}

export default async function square(
  input: TestInput,
): Promise<{ n: number; square: number; thread: number }> {
  if (input.waitMs) await new Promise((r) => setTimeout(r, input.waitMs));
  if (input.fail) throw new Error(`task ${input.n} failed on request`);
  const { threadId } = await import("node:worker_threads");
  return { n: input.n, square: input.n * input.n, thread: threadId };
}
