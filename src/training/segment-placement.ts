// Where a launcher puts a job's ranks: every parallel group inside the scale-up domain its span fits, as Slurm segments do.
import type { System } from "../catalog/types.js";
import type { ParallelDegrees } from "./types.js";

/**
 * The rank layout (`rankLayout`, comm.ts) costs a group on the smallest tier whose group holds its span (size x
 * stride contiguous ranks), which assumes the span never straddles a tier boundary. When a tier's group is not a
 * multiple of the largest span that fits it (64-GPU EP groups on 72-GPU NVL72 racks), packing ranks densely would
 * put ranks 64-127 across two racks; launchers avoid that by asking Slurm's topology/block plugin for segments of the
 * span (`--segment`, SBATCH_SEGMENT_SIZE: NVIDIA-NeMo/Automodel PR 3914 sets 8-node segments "so each EP32 group can
 * fit within one NVLink block", an unconstrained allocation "can split a group into uneven NVLink domains"; NeMo-RL's
 * topology-aware placement, PR 2612, likewise keeps groups inside one NVLink domain). Whole segments fill a block, so
 * each tier group holds floor(G / S) x S of the job's ranks and the rest of the rack stays idle.
 *
 * Returns the system as the job's ranks fill it (the same object when no tier changes): each tier but the outermost
 * whose group is not a multiple of the largest span S it holds becomes floor(G / S) x S, and the tiers outside it
 * keep their number of such groups. A tier laid out as a grid (`topology.dims`) is left as it is. Cost O(tiers).
 */
export function segmentPlacement(system: System, d: ParallelDegrees): System {
  const spans = [d.tp, d.tp * d.cp, d.etp * d.ep, d.tp * d.cp * d.dp];
  let tiers = system.tiers;
  for (let i = 0; i < tiers.length - 1; i++) {
    const g = tiers[i].groupSize;
    let s = 1;
    for (const x of spans) if (x <= g && x > s) s = x;
    if (g % s === 0 || tiers[i].topology.dims !== undefined) continue;
    const placed = Math.floor(g / s) * s;
    tiers = tiers.map((t, j) => {
      if (j === i) return { ...t, groupSize: placed };
      if (j > i && t.groupSize % g === 0 && j < tiers.length - 1)
        return { ...t, groupSize: (t.groupSize / g) * placed };
      return t;
    });
  }
  return tiers === system.tiers ? system : { ...system, tiers };
}
