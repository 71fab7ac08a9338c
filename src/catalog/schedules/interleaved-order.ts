// Task order of 1F1B and its interleaved form (Megatron-LM's virtual pipeline), shared by the schedules that run it.
import type { StageTask } from "./types.js";

/**
 * Interleaved 1F1B (Megatron-LM's virtual pipeline, Narayanan et al. 2021) for `chunks` model chunks per
 * rank: micro-batches go through chunks in groups of `stages`; warm-up (stages - stage - 1) x 2 +
 * (chunks - 1) x stages forwards, then one forward one backward, then the remaining backwards. With one
 * chunk it is plain 1F1B: warm-up forwards, steady one-forward-one-backward, cool-down backwards. Needs
 * micro % stages == 0 when chunks > 1. Cost O(micro x chunks).
 */
export function interleavedOrder(stage: number, stages: number, micro: number, chunks: number): StageTask[] {
  const total = micro * chunks;
  const warm =
    chunks === 1
      ? Math.min(micro, stages - stage - 1)
      : Math.min(total, (stages - stage - 1) * 2 + (chunks - 1) * stages);
  const at = (k: number, fwd: boolean): StageTask => {
    if (chunks === 1) return { fwd, mb: k, chunk: 0 };
    const c = Math.floor((k % (stages * chunks)) / stages);
    return {
      fwd,
      mb: Math.floor(k / (stages * chunks)) * stages + (k % stages),
      chunk: fwd ? c : chunks - 1 - c,
    };
  };
  const out: StageTask[] = [];
  let f = 0;
  let b = 0;
  for (; f < warm; f++) out.push(at(f, true));
  while (f < total) {
    out.push(at(f++, true));
    out.push(at(b++, false));
  }
  while (b < total) out.push(at(b++, false));
  return out;
}
