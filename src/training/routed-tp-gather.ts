// Expert tensor parallelism in an all-to-all dispatcher that gathers the routed token copies over TP on the compute stream (MindSpeed on Megatron-Core r0.6).

/**
 * Bytes of the routed-token buffer one TP rank holds once gathered: every routed copy (`topK` per token, times the
 * expert-row spread `ib` over the balanced load) of the `tokens` the TP group routes (a micro-batch's tokens on one
 * context-parallel rank), full hidden width, bf16. The all-gather's and the reduce-scatter's full buffer
 * (`collectiveTime`'s convention). Cost O(1).
 */
export function routedGatherBytes(tokens: number, topK: number, hidden: number, ib: number): number {
  return tokens * topK * ib * hidden * 2;
}

/**
 * Bytes the layout copies around the two collectives move in one pass (forward, or backward): Megatron-Core's
 * `_gather_along_last_dim` gathers along the first dimension and concatenates the chunks along the last
 * (`torch.cat(output.chunk(world_size, dim=0), dim=-1)`: the gathered buffer read and written once), and
 * `_reduce_scatter_along_last_dim` splits along the last dimension and concatenates along the first before its
 * reduce-scatter (`torch.cat(torch.split(input_, h / tp, dim=1), dim=0)`: the full buffer read and written once).
 * The backward of each is the other, so the backward moves the same. Cost O(1).
 */
export function routedLayoutCopyBytes(gatheredBytes: number): number {
  return 2 * (2 * gatheredBytes);
}

/**
 * TP communication of the routed-expert path in one pass, all of it on the critical path, s: one all-gather and one
 * reduce-scatter of the routed buffer (`ag`, `rs`) and the two all-to-alls that turn the sequence-split hidden states
 * into hidden-split ones before routing and back after (`a2a` each: `all_to_all_sp2hp` / `all_to_all_hp2sp`).
 * Forward: sp2hp, permute, gather (before the grouped GEMMs); reduce-scatter, unpermute, hp2sp (after). Backward: the
 * autograd of each is its mirror (all-gather <-> reduce-scatter, all-to-all <-> all-to-all), the same four. Nothing
 * runs beside them: the grouped GEMM needs the whole gathered buffer, and MindSpeed's per-expert overlap of the gather
 * is off under `--moe-grouped-gemm` (MindSpeed docs/features/megatron_moe/megatron-moe-alltoall-dispatcher.md, "场景限制").
 * Cost O(1).
 */
export function routedTpSerialS(ag: number, rs: number, a2a: number): number {
  return ag + rs + 2 * a2a;
}
