// Transformer Engine's context-parallel ring attention (AttnFuncWithCPAndKVP2P, what Megatron-Core runs for
// context_parallel_size > 1 with the default p2p communication type): the merges and gradient accumulations between
// the per-step attention kernels, as memory-bound bytes per element.

/**
 * HBM bytes and kernels of Transformer Engine's ring merges on one rank for `cp` ring steps (0 at cp 1), per element
 * of the attention output (`q`: tokens x query heads x value head dim) and of the rank's K and V (`kv`: tokens x
 * key/value heads x (qk + v head dims)), bf16 attention, causal, sbhd layout (transformer_engine/pytorch/attention/
 * dot_product_attention/context_parallel.py, AttnFuncWithCPAndKVP2P):
 * - forward: K and V packed into the ring's send buffer (read 2, write 2 per kv element); after the steps,
 *   `flash_attn_fwd_out_correction_init` writes the first step's output scaled into `out` (read 2, write 2) and each
 *   later step is added in by `flash_attn_fwd_out_correction` (`out.add_(out_per_step * exp(lse_i - lse))`: read 2 + 2,
 *   write 2) over the whole output when the step is at or below the rank, over the second half above it
 *   (`flash_attn_fwd_second_half_out_correction`): averaged over the ranks, 4.5 bytes a step; one softmax-lse
 *   correction kernel a step on the (b, h, s) statistics (not counted in bytes: 1/d of the output);
 * - backward: K and V copied into the first ring buffer (read 2, write 2); each step's dq and dkv copied (first step:
 *   read 2, write 2) or added (`dq.add_`, `dkv.add_`: read 2 + 2, write 2, whole or half as above: 4.5 averaged) into
 *   the running gradients, which stay bf16.
 * Cost O(1).
 */
export function teRingMergeBytes(cp: number): {
  forwardPerQ: number;
  forwardPerKv: number;
  backwardPerQ: number;
  backwardPerKv: number;
  kernelsF: number;
  kernelsB: number;
} {
  if (cp <= 1)
    return { forwardPerQ: 0, forwardPerKv: 0, backwardPerQ: 0, backwardPerKv: 0, kernelsF: 0, kernelsB: 0 };
  const merge = 4 + 4.5 * (cp - 1);
  return {
    forwardPerQ: merge,
    forwardPerKv: 4,
    backwardPerQ: merge,
    backwardPerKv: 4 + merge,
    kernelsF: 1 + 2 * (cp - 1) + 1,
    kernelsB: 1 + 2 * cp,
  };
}
