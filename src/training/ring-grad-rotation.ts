// Context parallelism's backward ring: how many key/value-gradient sends a framework's ring attention makes per layer, at what width, and how many wait on the critical path.
import { ZettasimError } from "../core/errors.js";

/**
 * How a framework's ring attention returns the key/value gradients to their owners in the backward pass. Each rank
 * accumulates the gradient of the chunk it holds and passes it on with the chunk; the values are per send of one
 * rank's key/value chunk (the forward's `cpBytes` at bf16).
 */
export interface CpGradRotation {
  /** Bytes per key/value-gradient element on the wire (2: bf16; 4: fp32 accumulators). */
  bytesPerElement: number;
  /** Gradient sends beyond the cp - 1 of a ring (1: the accumulated gradient is sent back to its owner at the end). */
  extraSends: number;
  /** Gradient sends waited for with no attention work left to hide them (the last, waited right after the loop). */
  exposedSends: number;
}

/**
 * The backward the model charged before this module, and what a profile without `cpGradRotation` gets: key/value
 * gradients in bf16, one send per ring step (cp - 1), all hidden behind the attention backward.
 */
export const BF16_RING_GRADIENTS: CpGradRotation = { bytesPerElement: 2, extraSends: 0, exposedSends: 0 };

/**
 * PyTorch's context parallel (torch.distributed.tensor.experimental `_templated_ring_attention_backward`, the code
 * torchtitan's `context_parallel_degree` runs): with `_cp_options.convert_to_f32` (True) `grad_key` and `grad_value`
 * are fp32 accumulators (`accum_dtype = torch.float32`); they are concatenated and sent on by an ALL_TO_ALL rotater
 * (`dkv_rotater`, `ft_c.permute_tensor`) at the end of every one of the cp iterations, the last one carrying the
 * finished gradient back to its owner, and that last buffer is waited for right after the loop
 * (`dkv_rotater.next_buffer().to(key.dtype)`) before the function returns: nothing is left to hide it. The send of
 * iteration i is waited for at iteration i + 1, after that iteration's attention backward, so the others overlap.
 */
export const TORCH_RING_GRADIENTS: CpGradRotation = { bytesPerElement: 4, extraSends: 1, exposedSends: 1 };

/** One layer's backward ring traffic on one rank, in units of one bf16 key/value chunk send. */
export interface RingBackwardSends {
  /** Key/value sends (bf16), as in the forward: cp - 1. */
  kvSends: number;
  /** Key/value-gradient sends. */
  gradSends: number;
  /** Bytes of one gradient send over one bf16 key/value send. */
  gradWidth: number;
  /** Gradient sends left exposed. */
  exposedGradSends: number;
}

/**
 * The backward ring's sends of a `cp`-rank ring attention under `rot`: none at cp 1. Throws ZettasimError for a cp
 * that is not a positive integer or a rotation with a negative or non-finite field. Cost O(1).
 */
export function ringBackwardSends(rot: CpGradRotation, cp: number): RingBackwardSends {
  if (!Number.isInteger(cp) || cp < 1)
    throw new ZettasimError([
      {
        path: ["training", "cp"],
        message: "context-parallel degree",
        value: cp,
        expected: "a positive integer",
      },
    ]);
  for (const k of ["bytesPerElement", "extraSends", "exposedSends"] as const) {
    const v = rot[k];
    if (!Number.isFinite(v) || v < 0)
      throw new ZettasimError([
        {
          path: ["framework", "cpGradRotation", k],
          message: "ring gradient rotation",
          value: v,
          expected: "a finite number >= 0",
        },
      ]);
  }
  if (cp === 1) return { kvSends: 0, gradSends: 0, gradWidth: rot.bytesPerElement / 2, exposedGradSends: 0 };
  const gradSends = cp - 1 + rot.extraSends;
  return {
    kvSends: cp - 1,
    gradSends,
    gradWidth: rot.bytesPerElement / 2,
    exposedGradSends: Math.min(rot.exposedSends, gradSends),
  };
}
