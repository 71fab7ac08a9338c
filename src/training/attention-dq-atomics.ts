// Variants of a family's fused attention a run can name: how its backward accumulates the query gradient (fp32 atomics by default, 16-bit where the family's kernels offer both at different rates: CDNA's CK/aiter v3 backward), and Pallas splash named over a framework's default kernel on TPU.

import type { AttentionShape, TrainingEfficiency } from "../catalog/families/types.js";
import { ZettasimError } from "../core/errors.js";
import type { TrainingConfig } from "../schema/training.js";
import type { AttentionClass } from "./kernels.js";

type Path = (string | number)[];

/**
 * Whether a run's fused attention backward accumulates dQ with 16-bit atomics: its `attentionDqAtomics` is "16-bit"
 * (Transformer Engine on ROCm: `NVTE_CK_IS_V3_ATOMIC_FP32=0`). null/absent or "fp32" is the kernel's default (fp32
 * atomics; TE-ROCm's `getenv<int>("NVTE_CK_IS_V3_ATOMIC_FP32", 1)`). "16-bit" is refused, naming the field, on an
 * attention class other than "fused" or on a family whose profile has no 16-bit-atomics shape
 * (`attention.fused16BitDqAtomics`): the setting would change nothing there. Cost O(1).
 */
export function dqAtomics16Bit(
  value: TrainingConfig["attentionDqAtomics"],
  attentionClass: AttentionClass,
  eff: TrainingEfficiency,
  path: Path,
): boolean {
  if (value !== "16-bit") return false;
  if (attentionClass !== "fused" || eff.attention.fused16BitDqAtomics === undefined)
    throw new ZettasimError([
      {
        path,
        message: `a 16-bit dQ accumulation is a variant of the fused attention kernel of a family that measures it; this run's attention class is "${attentionClass}"${eff.attention.fused16BitDqAtomics === undefined ? " on a family without such a kernel" : ""}`,
        value,
        expected:
          '"fp32" or null here (or "16-bit" with fused attention on a family with `attention.fused16BitDqAtomics`, e.g. CDNA)',
      },
    ]);
  return true;
}

/** The fused attention shape a run ran: the family's 16-bit-atomics backward when `dq16`, else its default. Cost O(1). */
export function fusedAttentionShape(eff: TrainingEfficiency, dq16: boolean): AttentionShape {
  return (dq16 ? eff.attention.fused16BitDqAtomics : undefined) ?? eff.attention.fused;
}

/**
 * The attention class a run names with `attentionBackend: "splash"`: the family's fused class, where the family's fused
 * kernel is Pallas splash (`fusedAttentionIsSplash`, TPU); refused, naming the field, on any other family, whose fused
 * kernel is not splash. Cost O(1).
 */
export function splashAttentionClass(eff: TrainingEfficiency, path: Path): AttentionClass {
  if (eff.fusedAttentionIsSplash) return "fused";
  throw new ZettasimError([
    {
      path,
      message: "Pallas splash attention runs on TPU; this chip's family has no splash kernel",
      value: "splash",
      expected: '"fused", "unfused", "sdpa" or null on this chip ("splash" on a TPU family)',
    },
  ]);
}
