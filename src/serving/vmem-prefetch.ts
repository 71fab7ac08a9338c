// TPU weight prefetch into VMEM: how much of a decode step's non-HBM time (collectives, op fixed costs) the weight stream hides.

/**
 * A TPU reads every weight from HBM through VMEM, its compiler-managed on-chip scratchpad (128 MiB on v5e), and XLA can
 * prefetch a later op's weights into it while earlier ops run: "VMEM prefetching, which refers to loading weights
 * ahead of time in VMEM so we can mask the cost of loading for our matmuls ... This requires our weights to be small
 * enough or sharded enough to fit a single layer into VMEM with space to spare" (Austin et al., How to Scale Your
 * Model, tpus.md at jax-ml/scaling-book 0819a7d8, 2025-02-18, footnote to 'VMEM and arithmetic intensity'). A decode
 * step is one compiled program whose layers XLA sees unrolled (jax-llm-examples' llama3 `forward` loops over the
 * layers in Python inside the jitted `decode_step`, 345dab9e), so while the chip waits on a tensor-parallel
 * all-reduce over ICI or runs a small fused op, the HBM keeps streaming the next layer's weights into VMEM.
 *
 * "With space to spare" is read as half of VMEM (A): one layer's weights being consumed while the next one's land
 * (double buffering). The largest layer (attention plus its MLP or MoE part, per device) must fit; a DeepSeek-V3 MoE
 * layer on 64 v5e chips (176 MB of int8 experts per chip) does not, a Llama 3 70B layer at TP 16 (54 MB) does.
 */

/** The share of VMEM one layer's weight shard may take for the next layer's prefetch to overlap: half (double buffer, A). */
export const PREFETCH_VMEM_SHARE = 0.5;

/**
 * True when the family's compiler prefetches weights into the chip's vector memory (`prefetch`) and the largest
 * layer's weight bytes per device, `layerWeightBytes`, fit in `PREFETCH_VMEM_SHARE` of `vectorMemoryBytes`. False when
 * the chip has no known vector memory. O(1).
 */
export function layerFitsPrefetch(
  layerWeightBytes: number,
  vectorMemoryBytes: number | undefined,
  prefetch: boolean,
): boolean {
  if (!prefetch || vectorMemoryBytes === undefined || !(vectorMemoryBytes > 0)) return false;
  return layerWeightBytes > 0 && layerWeightBytes <= PREFETCH_VMEM_SHARE * vectorMemoryBytes;
}

/**
 * Seconds of a step's non-HBM time (`nonHbmS`: exposed collectives and op fixed costs) that run while the HBM streams
 * weights, when the layers fit (`layerFitsPrefetch`): at most the step's linear (weight-streaming) time
 * `weightStreamS`, since that is all the HBM work there is to overlap; 0 when they do not fit. O(1).
 */
export function prefetchHiddenS(fits: boolean, nonHbmS: number, weightStreamS: number): number {
  if (!fits) return 0;
  return Math.max(0, Math.min(nonHbmS, weightStreamS));
}
