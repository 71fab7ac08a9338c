// Op-level selective checkpointing that does not keep the attention op's output: the backward reruns the attention forward (torchtitan's save list before PR 2095 against cuDNN attention on B200).
import { ZettasimError } from "../core/errors.js";
import type { FrameworkProfile } from "./frameworks.js";

/**
 * Whether a run's backward reruns the attention kernel's forward under op-level selective checkpointing, from its
 * `opSacSavesAttention` (null: saved).
 *
 * What the frameworks do. torchtitan's op policy (`_custom_policy` with `_save_list`,
 * torchtitan/models/llama3/infra/parallelize.py at 2c8b594 and 6fc499f, August 2025) saves the outputs of the ops on its
 * list and marks every other op PREFER_RECOMPUTE; until pull request 2095 (b39377f9f, 2025-12-01, "add all SDPA backends
 * to op_sac_save_list ... to avoid recomputing attention during backward", issue 2091) the list held
 * `aten._scaled_dot_product_flash_attention` and `_efficient_attention` only. Its attention module puts
 * `SDPBackend.CUDNN_ATTENTION` first on compute capability 10.0 (torchtitan/models/attention.py at 6fc499f,
 * `_init_backend`: `if has_cuda_capability(10, 0): cls.backends.insert(0, SDPBackend.CUDNN_ATTENTION)`, from pull request
 * 1196 of 2025-05-14), so on B200 the op is `aten._scaled_dot_product_cudnn_attention`, off the list: its forward is
 * rerun in the backward to rebuild the output and log-sum-exp the cuDNN backward reads. On H100 and MI300X the same
 * torchtitan dispatches the flash op, which the list saves. Pull request 1196's own log is consistent with it: the
 * B200 run's peak memory fell from 46.39 to 44.59 GiB when cuDNN replaced flash, near the 2.0 GiB of a Llama 3 8B
 * step's 32 attention outputs at 8,192 tokens (8,192 x 4,096 x 2 bytes each) no longer kept (its configuration is not
 * stated, so this is a check, not a source of any number here). Activation memory is not changed by this module.
 *
 * Throws ZettasimError naming `path` when `false` is given for a framework without an op-level policy (its selective
 * recompute reruns no GEMM: `native.selectiveGemmShare` 0 or absent), where the field would change nothing. Cost O(1).
 */
export function opSacRecomputesAttention(
  savesAttention: boolean | null | undefined,
  framework: FrameworkProfile,
  path: (string | number)[],
): boolean {
  if (savesAttention !== false) return false;
  if ((framework.native?.selectiveGemmShare ?? 0) === 0)
    throw new ZettasimError([
      {
        path,
        message: `framework ${framework.id} has no op-level selective checkpointing policy whose save list could leave attention out`,
        value: savesAttention,
        expected: "null or true, or a framework with an op-level policy (torchtitan)",
      },
    ]);
  return true;
}
