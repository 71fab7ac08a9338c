// Fused matmul + collective TP overlap (MindSpeed's MC2): each sequence-parallel collective hides only behind its own matmul.
import { hidden } from "./moe.js";

/**
 * The paired GEMM times (forward, one rank, s) of a dense attention + MLP layer that MC2 fuses a collective into:
 * the column-parallel QKV and MLP up projections (all-gather of the sequence-parallel input) and the row-parallel
 * attention output and MLP down projections (reduce-scatter of the output).
 */
export interface FusedTpGemms {
  tpPairQkvF: number;
  tpPairOutF: number;
  tpPairUpF: number;
  tpPairDownF: number;
  /**
   * Blocks whose collectives MC2 fuses: 2 (attention and MLP), or 1 where only the attention projections are MC2
   * linears (an mcore MoE layer: MindSpeed docs/features/mc2.md, "MoE 模型，MLP 部分不使能 MC2"; its routed path's
   * collectives are charged elsewhere, routed-tp-gather.ts).
   */
  tpPairBlocks: number;
}

/**
 * Exposed TP time of one forward under MindSpeed's MC2 (mindspeed/core/tensor_parallel/ascend_turbo/
 * mc2_linears_seq_parallel.py): `npu_all_gather_base_mm` fuses each column-parallel input all-gather into its own
 * matmul and `npu_mm_reduce_scatter_base` each row-parallel output reduce-scatter into its own, pipelining tiles of
 * one against the other (CANN AllGatherMatmul / MatmulReduceScatter). A collective therefore hides only behind the
 * matmul it is fused with, never behind attention, norms or the other projections: a collective longer than its
 * matmul shows its excess. `ag`, `rs`: one all-gather / reduce-scatter of the layer's activation, s; `slow`: the
 * slowest chip's factor on compute; `rho`: the overlap cost (moe.ts `hidden`). Cost O(1), no allocation.
 */
export function fusedTpForwardS(g: FusedTpGemms, ag: number, rs: number, slow: number, rho: number): number {
  const attn = hidden(ag, slow * g.tpPairQkvF, rho) + hidden(rs, slow * g.tpPairOutF, rho);
  if (g.tpPairBlocks < 2) return attn;
  return attn + hidden(ag, slow * g.tpPairUpF, rho) + hidden(rs, slow * g.tpPairDownF, rho);
}

/**
 * Exposed TP time of one backward under MC2. MindSpeed sets `all_gather_recomputation` (ascend_turbo/initialize.py),
 * so a column-parallel linear's backward re-gathers its input asynchronously beside the data-gradient matmul, then
 * reduce-scatters the input gradient asynchronously beside the weight-gradient matmul; a row-parallel linear's
 * backward fuses the all-gather of the output gradient into its data-gradient matmul (`npu_all_gather_base_mm`) and
 * its weight-gradient matmul hides nothing. Six collectives, each beside one matmul of its projection's forward
 * FLOPs (the data- and weight-gradient matmuls are timed as the forward one: same FLOPs, shapes transposed).
 * Cost O(1), no allocation.
 */
export function fusedTpBackwardS(g: FusedTpGemms, ag: number, rs: number, slow: number, rho: number): number {
  const attn =
    hidden(ag, slow * g.tpPairQkvF, rho) +
    hidden(rs, slow * g.tpPairQkvF, rho) +
    hidden(ag, slow * g.tpPairOutF, rho);
  if (g.tpPairBlocks < 2) return attn;
  return (
    attn +
    hidden(ag, slow * g.tpPairUpF, rho) +
    hidden(rs, slow * g.tpPairUpF, rho) +
    hidden(ag, slow * g.tpPairDownF, rho)
  );
}
