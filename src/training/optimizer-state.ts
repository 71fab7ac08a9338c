// What an optimizer keeps and moves per parameter of its shard: the state bytes held in device memory and the bytes one update step reads and writes, for Adam on fp32 master weights (the default) and for the update rules frameworks name instead.

/** Bytes per parameter of the optimizer's shard: state held between steps, and traffic of one update step. */
export interface OptimizerBytes {
  /** State kept in device memory between steps (master weights and moments), bytes per parameter. */
  state: number;
  /** HBM bytes one update step reads and writes, bytes per parameter. */
  step: number;
}

/**
 * Adam on fp32 master weights (Megatron's distributed optimizer, FSDP2 mixed precision, the JAX stacks' fp32
 * parameters): state = fp32 master and two fp32 moments (12); one step reads master, gradient and both moments (16),
 * writes master and moments (12) and the bf16 weight copy (2): 30. The fused AdamW measurement
 * (data/kernels/h200-2026-11-30.json) counts the first 28 and gives the bandwidth fraction.
 */
export const ADAM_FP32_MASTER: OptimizerBytes = Object.freeze({ state: 12, step: 30 });

/**
 * Hugging Face transformers' Adafactor as torchprime's trainer builds it (`Adafactor(params, lr, relative_step=False,
 * scale_parameter=False)`, beta1 None: no first moment) on parameters held only in bf16 (torchprime's train.py builds
 * the model under `set_default_dtype(torch.bfloat16)`): no master copy, and the second moment of each matrix factored
 * into its row and column means (transformers/optimization.py `Adafactor.step`), so the state is a vector per matrix
 * side, under 0.1% of the entries of a 4,096-wide matrix: 0 per parameter. One step passes over the shard four times,
 * each a reduction the next waits for: the parameter's RMS (`state["RMS"] = self._rms(p_data_fp32)`, read 2), the
 * squared gradient's row and column means (read the bf16 gradient, 2), the factored update's RMS for the clip
 * (`self._rms(update)`, the gradient again, 2), then the update applied (gradient and parameter read, parameter
 * written, 6): 12.
 */
export const ADAFACTOR_BF16_PARAMS: OptimizerBytes = Object.freeze({ state: 0, step: 12 });

/**
 * Plain SGD (`optax.sgd(lr)`, no momentum: its state is empty) on parameters held only in bf16: read the gradient and
 * the parameter, write the parameter (6).
 */
export const SGD_BF16_PARAMS: OptimizerBytes = Object.freeze({ state: 0, step: 6 });
