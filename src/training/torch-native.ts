// PyTorch-native training (torchtitan) as its code runs it: eager element-wise chains when the blocks are not compiled, GQA key/value heads repeated before attention, op-level selective checkpointing, and its pipeline defaults.
import { ZettasimError } from "../core/errors.js";
import type { FrameworkProfile } from "./frameworks.js";
import type { ModelShape } from "./shape.js";

/**
 * Bytes moved through HBM per element of a bf16 activation by an RMSNorm written as PyTorch ops and run eagerly,
 * as torchtitan's `RMSNorm` does (torchtitan/models/norms.py at 9dec370, the commit of its H100 performance
 * tables: `self._norm(x.float()).type_as(x) * self.weight`, `_norm = x * rsqrt(x.pow(2).mean(-1) + eps)`). Each op
 * is one kernel that reads its inputs and writes its output in full (rows-sized reductions are negligible):
 * forward: cast to fp32 (2 + 4), pow (4 + 4), mean (4), x * rsqrt (4 + 4), cast back (4 + 2), * weight (2 + 2) = 36;
 * backward (autograd of those ops): * weight (2 + 2) and its weight gradient (2 + 2 + 2 + 2), cast (2 + 4),
 * x * rsqrt (4 + 4) and its rsqrt gradient (4 + 4 + 4 + 4), mean's expanded gradient (4), pow's gradient
 * (4 + 4 + 4), the two gradient paths of x added (4 + 4 + 4), cast to bf16 (4 + 2) = 76. A fused kernel moves 4
 * forward (read x, write y) and about 8 backward.
 */
export const EAGER_RMSNORM = { forwardBytes: 36, backwardBytes: 76, kernelsF: 7, kernelsB: 12 } as const;

/**
 * Bytes per element of q and of k moved by rotary embedding as complex multiplication in eager PyTorch
 * (torchtitan/models/llama/model.py `apply_rotary_emb` at 9dec370: `view_as_complex(x.float())`, times
 * `freqs_cis`, `view_as_real`, `type_as`): cast to fp32 (2 + 4), complex multiply (4 + 4; the frequency table is
 * small), cast back (4 + 2) = 20 forward; the backward runs the same three ops on the gradient, 20. Three
 * kernels per tensor each way. A fused rotary kernel moves 4 (read and write bf16).
 */
export const EAGER_ROPE = { forwardBytes: 20, backwardBytes: 20, kernelsPerTensor: 3 } as const;

/**
 * Share of a transformer block's forward GEMM time that torchtitan's op-level selective activation checkpointing
 * reruns in the backward, for blocks whose matmul order is not modelled (MoE and MLA blocks): half. Dense GQA/MHA
 * blocks take the share their matmul order gives (`opSacRecomputedShare`, `denseBlockMatmuls`). Its policy
 * (torchtitan/parallelisms/parallelize_llama.py at 9dec370, torchtitan/models/llama3/infra/parallelize.py at
 * 6fc499f: `_save_list` and `_custom_policy`, the `selective_ac_option = 'op'` of its Llama 3 configs) saves the
 * outputs of matmuls, flash and memory-efficient attention and reductions "except every second mm"; element-wise
 * ops (norms, activations, rotary) are rerun as well.
 */
export const OP_SELECTIVE_GEMM_SHARE = 0.5;

/**
 * Share of a block's forward matmul work that the op policy reruns, given the block's `aten.mm` calls in forward
 * order (any consistent unit: FLOPs or weight elements per token): the even-numbered calls. The counter is fresh for
 * every block call: torchtitan's `selective_checkpointing_context_fn` builds `meta = defaultdict(int)` each time it is
 * called, and torch.utils.checkpoint calls `context_fn()` once per checkpointed call
 * (`_checkpoint_without_reentrant_generator`: `forward_context, recompute_context = context_fn()`); under
 * torch.compile the policy is applied once per traced block, the same way, and the partitioner recomputes every
 * PREFER_RECOMPUTE node (torch/_functorch/partitioners.py `must_recompute`). Throws ZettasimError for a negative or
 * non-finite size, naming its index. Cost O(calls).
 */
export function opSacRecomputedShare(matmuls: readonly number[]): number {
  let all = 0;
  let even = 0;
  matmuls.forEach((x, i) => {
    if (!Number.isFinite(x) || x < 0)
      throw new ZettasimError([
        {
          path: ["matmuls", i],
          message: "a matmul size must be >= 0",
          value: x,
          expected: "a finite number >= 0",
        },
      ]);
    all += x;
    if (i % 2 === 1) even += x;
  });
  return all > 0 ? even / all : 0;
}

/**
 * Weight elements of a dense GQA/MHA block's matmuls in the order torchtitan's Llama block calls them
 * (models/llama3/model.py: `self.wq(x), self.wk(x), self.wv(x)`, attention, `self.wo`; FeedForward
 * `self.w2(F.silu(self.w1(x)) * self.w3(x))`: w1, w3, w2; an ungated MLP up and down). Undefined for MoE and MLA
 * blocks, whose order is not modelled. Cost O(1).
 */
export function denseBlockMatmuls(s: ModelShape): number[] | undefined {
  if (s.mla) return undefined;
  const q = s.hidden * s.heads * s.qkHeadDim;
  const kv = s.hidden * s.kvHeads * s.qkHeadDim;
  const o = s.heads * s.vHeadDim * s.hidden;
  const up = s.hidden * s.ffn;
  return s.gated ? [q, kv, kv, o, up, up, up] : [q, kv, kv, o, up, up];
}

/** What a pipelined torchtitan run does when its table leaves micro-batching and interleaving out. */
export interface PipelineDefaults {
  /** Micro-batch size, sequences; undefined: the framework has no such default (the model's 1). */
  microBatchSize: number | undefined;
  /** Virtual stages per rank for a schedule named interleaved without its depth; undefined: the model's rule. */
  interleavedStagesPerRank: number | undefined;
  /** FSDP keeps gathered parameters from the forward to the backward (no per-micro-batch regather). */
  reshardAfterForward: boolean | undefined;
}

/**
 * The framework's pipeline defaults for a job with `pp` stages and `localBatch` sequences per data-parallel rank
 * and step. torchtitan at 9dec370: `pipeline_parallel_microbatches` unset splits the local batch into as many
 * micro-batches as there are pipeline ranks (`build_pipeline_schedule`: n_microbatches = pipeline degree);
 * `generate_split_points` gives a multi-stage (interleaved) schedule 2 stages per rank when no split points are
 * given; `apply_fsdp` sets `reshard_after_forward = False` with pipelining ("to avoid per-microbatch all-gathers,
 * which can be expensive and non-overlapped"). Nothing changes without pipelining or for other frameworks.
 * Cost O(1).
 */
export function pipelineDefaults(fw: FrameworkProfile, pp: number, localBatch: number): PipelineDefaults {
  const p = fw.pipeline;
  if (p === undefined || pp <= 1)
    return { microBatchSize: undefined, interleavedStagesPerRank: undefined, reshardAfterForward: undefined };
  const perStage =
    p.microBatchesPerStep === "pipeline-degree" && localBatch % pp === 0 ? localBatch / pp : undefined;
  return {
    microBatchSize: perStage !== undefined && perStage >= 1 ? perStage : undefined,
    interleavedStagesPerRank: p.interleavedStagesPerRank,
    reshardAfterForward: p.reshardAfterForward,
  };
}

/**
 * Bytes of the repeated key and value heads written before attention when a framework expands GQA key/value
 * heads to the query heads (torchtitan's `repeat_kv`: expand + reshape, a copy), per token: forward reads
 * `hkv` heads and writes `hq` heads of K and of V; the backward sums the repeated gradients back (reads `hq`,
 * writes `hkv`). 0 when the heads are not grouped. Bytes per token, bf16. Cost O(1).
 */
export function repeatKvBytesPerToken(hq: number, hkv: number, headDimSum: number): number {
  return hq > hkv ? (hq + hkv) * headDimSum * 2 : 0;
}

/**
 * Memory-bound work of PyTorch's ring attention (torch.distributed.tensor.experimental context parallel, which
 * torchtitan's `context_parallel_degree` runs), in bytes per element of the attention output on one rank, for `cp`
 * ring steps. Forward (`_templated_ring_attention`, `_SDPAMerger` with `convert_to_f32`): the first partial output
 * cast to fp32 (2 + 4), each later step's output cast (2 + 4) and merged in fp32 by
 * `out - sigmoid(lse_i - lse) * (out - out_i)` (4 + 4 + 4, 4 + 4, 4 + 4 + 4), and the K/V concatenated for the
 * next exchange (2 + 2 per element of K and of V, as many as output elements when heads are repeated); the result
 * cast back (4 + 2). Backward: per step the query gradient accumulated in fp32 (4 + 2 + 4), the rotated key and
 * value gradients accumulated in fp32 (2 x (4 + 2 + 4)) and concatenated for the next exchange (2 x (4 + 4)), the
 * K/V concatenation again (2 x (2 + 2)); the three gradients cast back (3 x (4 + 2)). Kernel counts likewise. 0 for
 * cp = 1. Cost O(1).
 */
export function ringMergeBytes(cp: number): {
  forward: number;
  backward: number;
  kernelsF: number;
  kernelsB: number;
} {
  if (cp <= 1) return { forward: 0, backward: 0, kernelsF: 0, kernelsB: 0 };
  const steps = cp - 1;
  return {
    forward: 6 + steps * (6 + 12 + 8 + 12 + 8) + 6,
    backward: cp * (10 + 20 + 16 + 8) + 18,
    kernelsF: 2 + steps * 6,
    kernelsB: cp * 7 + 3,
  };
}
