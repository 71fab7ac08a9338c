// Time of one tensor-parallel all-reduce of a serving step, with the share of a full-mesh tier's links its group reaches.

/**
 * Time of one ring all-reduce of `bytes` (the full buffer per rank) over a tensor-parallel group of `tp` ranks, s:
 * 2(tp-1)/tp of the buffer at the rank's collective bandwidth `bytesPerS` times `peerShare`, plus the fixed cost of one
 * small all-reduce `fixedS`. `peerShare` is the share of the rank's tier bandwidth that reaches the group's peers
 * (`peerShare` of src/training/comm.ts): 1 through a switch or when the group spans the whole direct mesh, (tp-1)/links
 * for a subgroup of a full mesh, whose ranks drive only the links to each other (an 8-NPU 910B HCCS mesh: 7 links per
 * NPU, so a 4-NPU group reaches 3/7 of it). HCCL's own figures show the effect: all-reduce on 4 of a 910B server's 8
 * NPUs reaches 30 GB/s of algorithm bandwidth against 72 GB/s on all 8 (data/kernels/ascend-hccl-published.json,
 * hccl_torch_910b). 0 when `tp` <= 1. Throws RangeError on a non-positive bandwidth or share. Cost O(1).
 */
export function tpAllReduceS(
  bytes: number,
  tp: number,
  bytesPerS: number,
  peerShare: number,
  fixedS: number,
): number {
  if (tp <= 1) return 0;
  if (!(bytesPerS > 0)) throw new RangeError(`bytesPerS must be > 0, got ${bytesPerS}`);
  if (!(peerShare > 0 && peerShare <= 1))
    throw new RangeError(`peerShare must be in (0, 1], got ${peerShare}`);
  return (2 * (tp - 1) * bytes) / tp / (bytesPerS * peerShare) + fixedS;
}
