// int8 weights with 16-bit activations (W8A16): the weights stream at one byte per parameter, the matmul runs at the 16-bit rate.

import { ZettasimError } from "../core/errors.js";
import type { WeightQuantization } from "./block-fp8-gemm.js";

/** The case and scenario value that names a weight-only int8 checkpoint run with 16-bit activations. */
export const WEIGHT_ONLY_INT8: WeightQuantization = "int8-weight-only";

/**
 * The precision whose matrix-unit peak a linear of weight precision `precision` computes at, O(1): the 16-bit peak
 * ("bf16") when the checkpoint is weight-only int8 (`quantization: "int8-weight-only"`), else `precision` itself.
 * Throws a ZettasimError at `path` when a weight-only int8 checkpoint is given a weight precision other than int8.
 *
 * Why: a weight-only int8 checkpoint multiplies 16-bit activations by int8 weights, and the lower-precision operand is
 * promoted, so the multiply-accumulates run on the 16-bit datapath; only the weight bytes shrink. jax-llm-examples'
 * int8 path does exactly this: `jnp.einsum(subscripts, lhs, rhs.quant) * scale` with bf16 activations `lhs` and int8
 * `rhs.quant` (llama3/llama3_jax/model.py `einsum` at jax-ml/jax-llm-examples 345dab9e; deepseek_r1_jax/model.py at
 * ef1a60c0, whose MoE kernel `decode_ragged_dot` calls `jax.lax.dot_general(x, A, ..., preferred_element_type=
 * jnp.float32)` on bf16 `x` and int8 `A`). Google's own roofline treats it so: "int8 weights but perform our FLOPs in
 * bfloat16 ... Here our critical batch size will be about 120 since our parameters are in int8 but our FLOPs are in
 * bfloat16", against 240 for "int8 weights and int8 FLOPs" on TPU v5e (How to Scale Your Model, applied-inference.md
 * at jax-ml/scaling-book 0819a7d8, questions on LLaMA 3-70B serving).
 */
export function matmulComputePrecision<P extends string>(
  precision: P,
  quantization: WeightQuantization | undefined,
  path: (string | number)[],
): P | "bf16" {
  if (quantization !== WEIGHT_ONLY_INT8) return precision;
  if (precision !== "int8")
    throw new ZettasimError([
      {
        path,
        message: `quantization "${WEIGHT_ONLY_INT8}" stores int8 weights, but the weight precision is ${precision}`,
        value: precision,
        expected: "int8",
      },
    ]);
  return "bf16";
}
