// Concurrent computation and communication (C3) interference: how much of a collective that runs beside compute still shows on the step, from a measured share of the ideal overlap uplift.
import { ZettasimError } from "../../core/errors.js";

/**
 * Share of the ideal C3 uplift that concurrent GEMMs and RCCL collectives realise on an MI300X: 0.21 on average.
 * Agrawal, Aga, Pati, Islam (AMD), "Optimizing ML Concurrent Computation and Communication with GPU DMA Engines",
 * arXiv 2412.14335 v2, abstract (its characterisation of GEMMs beside ML collectives on MI300X): "while C3
 * leads to performance uplifts, the uplifts are far lower than ideal speedups (serial computation and communication
 * versus maximum of computation or communication; all times from isolated executions). That is, C3 on average achieves
 * only 21% of ideal speedup", from "compute and memory interference between concurrent GPU kernels (that is, sharing
 * of GPU's compute units, caches and HBM)". The share is of the uplift over serial execution, not of the speedup
 * itself: the same paper's DMA collectives realise 72% of ideal "up to 1.67x", which only the uplift reading allows
 * (an ideal speedup is at most 2x). Measured with RCCL's compute-unit collectives at their default scheduling; the
 * paper's prioritised and partitioned schedules (42%) and DMA collectives (72%) are taken as not what the
 * frameworks run by default (A: not checked framework by framework).
 */
export const MI300X_C3_REALISED_UPLIFT = 0.21;

function requireShare(value: number, path: (string | number)[], what: string): void {
  if (!Number.isFinite(value) || value < 0 || value > 1)
    throw new ZettasimError([
      { path, message: `${what} must be a share between 0 and 1`, value, expected: "0..1" },
    ]);
}

/**
 * The model's overlap cost (`TrainingEfficiency.overlapCost`, the share of hidden communication time that still shows,
 * moe.ts `hidden`) from the measured share `realised` of the ideal C3 uplift. With compute Tc, communication Tm <= Tc
 * and x = Tm / Tc, the ideal speedup is 1 + x, the realised one 1 + realised x, so the overlapped pair takes
 * (Tc + Tm) / (1 + realised x) and shows Tm (1 - realised) / (1 + realised x) beyond the compute (`c3ExposedShare`).
 * The model's form is linear in Tm, so it takes the small-x limit, 1 - realised: an upper bound that is exact as x
 * goes to 0 and 1 + realised times the exact share at x = 1 (A: no per-ratio figure is published; the paper's 21% is
 * an average over its pairs). Refuses a share outside 0..1, naming `path`. Cost O(1).
 */
export function overlapCostFromRealisedUplift(realised: number, path: (string | number)[]): number {
  requireShare(realised, path, "the realised share of the ideal C3 uplift");
  return 1 - realised;
}

/**
 * Exact share of the communication time Tm that shows beyond the compute Tc when the pair realises `realised` of the
 * ideal C3 uplift, for x = Tm / Tc in (0, 1]: (1 - realised) / (1 + realised x). Refuses a share outside 0..1 or a ratio
 * outside (0, 1], naming `path`. Cost O(1).
 */
export function c3ExposedShare(realised: number, commOverCompute: number, path: (string | number)[]): number {
  requireShare(realised, path, "the realised share of the ideal C3 uplift");
  if (!Number.isFinite(commOverCompute) || commOverCompute <= 0 || commOverCompute > 1)
    throw new ZettasimError([
      {
        path,
        message:
          "the communication over compute ratio must be in (0, 1] (more communication than compute is not overlap)",
        value: commOverCompute,
        expected: "0 < x <= 1",
      },
    ]);
  return (1 - realised) / (1 + realised * commOverCompute);
}
