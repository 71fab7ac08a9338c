// Low precision as frameworks run it: which GEMMs use the low-precision units, and the quantisation work each scaling recipe adds around them.
import type { MatmulPrecision } from "../catalog/families/types.js";
import type { PrecisionRecipe } from "./frameworks.js";
import {
  TORCHAO_ROWWISE_QUANT_BYTES,
  TORCHAO_ROWWISE_QUANT_KERNELS,
  TORCHAO_ROWWISE_RESCALE_BYTES,
} from "./torchao-rowwise.js";

/**
 * A scaling recipe's cost model. GEMMs of the transformer blocks' linear layers (QKV, output projection,
 * MLP, routed and shared experts, MLA projections) run at the recipe's precision; the attention core,
 * the router, the embedding and the output layer stay in bf16 (Transformer Engine's defaults; torchao's
 * float8 and MX conversions likewise skip the output layer and the router).
 */
export interface RecipeProfile {
  id: PrecisionRecipe | "bf16";
  /** Matmul precision of the low-precision GEMMs. */
  matmul: MatmulPrecision;
  /** Operand bytes per element of a low-precision GEMM (scales included). */
  operandBytes: number;
  /**
   * HBM bytes per element to quantise a GEMM input (activation in the forward, output gradient in the
   * backward) into every layout its GEMMs need (row-wise for the forward or dgrad GEMM, column-wise for wgrad).
   */
  quantBytesPerElement: number;
  /** Quantisation kernels (stream operations the host launches) per GEMM input. */
  quantKernels: number;
  /**
   * Device allocations per expert split when a grouped linear quantises its operand expert by expert without a bulk
   * buffer (split-quantize.ts): the FP8 data, its transposed copy and the scale inverse for per-tensor FP8; 0 for
   * recipes Transformer Engine bulk-allocates (MXFP8, FP8 block scaling) and for bf16.
   */
  splitAllocs: number;
  /** GEMM rate relative to the per-tensor-scaled GEMM of the same precision. */
  gemmFactor: number;
  /**
   * Whether a tensor all-gathered after its cast (sequence parallelism) needs one scale over the tensor-parallel
   * group, so its amax is all-reduced there before the cast (`amax-reduction.ts`): current per-tensor scaling.
   */
  tpAmaxReduction: boolean;
  /**
   * Whether Transformer Engine all-gathers only the row-wise data of a tensor quantised with this recipe and builds
   * the column-wise copy after the gather (`supports_only_rowwise_all_gather`: per-tensor FP8 quantizers), rather
   * than gathering every layout the GEMMs need (block-scaled formats; `quantized-gather.ts`).
   */
  rowwiseOnlyGather: boolean;
  /**
   * Bytes per element of each backward GEMM output moved by a separate rescale pass after the GEMM (torchao's row-wise
   * recipe: per-tensor GEMM with unit scales, then `output *= scale outer product`; torchao-rowwise.ts); 0: none.
   */
  backwardRescaleBytes: number;
  source: string;
}

const RECIPES: Readonly<Record<PrecisionRecipe | "bf16", RecipeProfile>> = {
  bf16: {
    id: "bf16",
    matmul: "bf16",
    operandBytes: 2,
    quantBytesPerElement: 0,
    quantKernels: 0,
    splitAllocs: 0,
    gemmFactor: 1,
    tpAmaxReduction: false,
    rowwiseOnlyGather: false,
    backwardRescaleBytes: 0,
    source: "no quantisation",
  },
  "fp8-tensorwise": {
    id: "fp8-tensorwise",
    matmul: "fp8",
    operandBytes: 1,
    // Current scaling: an amax pass (read 2 B) before the cast, then a fused cast-transpose (read 2, write 1 + 1).
    quantBytesPerElement: 6,
    // Four stream operations per quantised tensor (Float8CurrentScalingQuantizer::quantize_impl,
    // transformer_engine/pytorch/csrc/quantizer.cpp, and transformer_engine/common/recipe/current_scaling.cu): a
    // cudaMemsetAsync zeroing the amax, the amax kernel, the one-thread compute_scale_from_amax kernel, and the cast
    // (cast-transpose). A grouped linear runs them per expert split: TE's multi-tensor quantize has a fused kernel for
    // delayed scaling only (extensions/cast.cpp, multi_tensor_quantize_impl).
    quantKernels: 4,
    splitAllocs: 3,
    gemmFactor: 1,
    tpAmaxReduction: true,
    rowwiseOnlyGather: true,
    backwardRescaleBytes: 0,
    source:
      "Transformer Engine Float8CurrentScaling: amax reduction over the tensor, then cast_transpose producing row- and column-wise FP8 copies",
  },
  "fp8-delayed": {
    id: "fp8-delayed",
    matmul: "fp8",
    operandBytes: 1,
    // Scale from the amax history: one fused cast-transpose that also records the amax (read 2, write 1 + 1).
    quantBytesPerElement: 4,
    quantKernels: 1,
    // Per-tensor FP8 outputs are allocated split by split (split-quantize.ts), then one fused multi-cast-transpose.
    splitAllocs: 3,
    gemmFactor: 1,
    tpAmaxReduction: false,
    rowwiseOnlyGather: true,
    backwardRescaleBytes: 0,
    source: "Transformer Engine DelayedScaling: cast_transpose with amax recorded for the next step's scale",
  },
  "fp8-blockwise": {
    id: "fp8-blockwise",
    matmul: "fp8",
    operandBytes: 1 + 4 / 128,
    // 1x128 row-wise and 128-element column-wise blocks: read 2, write 1 + 1, fp32 scales per 128 elements.
    quantBytesPerElement: 4 + 8 / 128,
    quantKernels: 1,
    splitAllocs: 0,
    // cuBLAS 12.9 blog: block-scaled FP8 on Hopper 1.75x over BF16 for large matmuls, against ~1.85x per-tensor
    // (our H200 fit: 0.6414 x 1979 / (0.6844 x 989) = 1.87).
    gemmFactor: 1.75 / 1.87,
    tpAmaxReduction: false,
    rowwiseOnlyGather: false,
    backwardRescaleBytes: 0,
    source:
      "DeepSeek-V3 style 1x128 / 128x128 FP8 blocks (Transformer Engine Float8BlockScaling); GEMM rate from the cuBLAS 12.9 technical blog",
  },
  "fp8-rowwise": {
    id: "fp8-rowwise",
    matmul: "fp8",
    // One fp32 scale per row of K elements: negligible beside the data.
    operandBytes: 1,
    quantBytesPerElement: TORCHAO_ROWWISE_QUANT_BYTES,
    quantKernels: TORCHAO_ROWWISE_QUANT_KERNELS,
    splitAllocs: 0,
    gemmFactor: 1,
    // Row scales need no tensor-wide amax; torchao's row-wise recipe gathers in bf16 (no FP8 all-gather).
    tpAmaxReduction: false,
    rowwiseOnlyGather: false,
    backwardRescaleBytes: TORCHAO_ROWWISE_RESCALE_BYTES,
    source:
      "torchao Float8LinearRecipeName.ROWWISE (torchao/float8/config.py, float8_linear.py, float8_ops.py at 890e0ac8 and 853f87d1b): axiswise e4m3 casts of every operand along both GEMM reductions; backward GEMMs per-tensor without fast accumulation, then rescaled by a separate pass (torchao-rowwise.ts)",
  },
  mxfp8: {
    id: "mxfp8",
    matmul: "fp8",
    operandBytes: 1 + 1 / 32,
    // One kernel writes row-wise and column-wise MXFP8 (read 2, write 1 + 1, an E8M0 scale per 32 elements each),
    // and a second swizzles the scales into the layout the block-scaled tensor cores read.
    quantBytesPerElement: 4 + 2 / 32,
    quantKernels: 2,
    splitAllocs: 0,
    // torchao's B200 dense benchmark (torchao/prototype/mx_formats/README.md, Llama 3 8B, torchtitan): float8
    // tensorwise +25.4%, MXFP8 (cuBLAS) +20.0% over bf16 end to end: block-scaled GEMMs ~5% below per-tensor.
    gemmFactor: 0.95,
    tpAmaxReduction: false,
    rowwiseOnlyGather: false,
    backwardRescaleBytes: 0,
    source:
      "MXFP8 (OCP MX spec: 1x32 blocks, E8M0 scales) as Transformer Engine MXFP8BlockScaling runs it; GEMM factor from torchao's B200 end-to-end comparison (A)",
  },
  nvfp4: {
    id: "nvfp4",
    matmul: "fp4",
    operandBytes: 0.5 + 1 / 16,
    // 16-element blocks with E4M3 scales, row- and column-wise (read 2, write 0.5 + 0.5 + scales), plus a random
    // Hadamard transform of the wgrad operands (read 2, write 2).
    quantBytesPerElement: 2 + 1 + 2 / 16 + 4,
    quantKernels: 2,
    // Bulk-allocated like MXFP8 (A: not checked at the TE of the NVFP4 rows).
    splitAllocs: 0,
    gemmFactor: 1,
    tpAmaxReduction: true,
    rowwiseOnlyGather: false,
    backwardRescaleBytes: 0,
    source:
      "NVFP4 training recipe (NVIDIA, Pretraining Large Language Models with NVFP4, arXiv 2509.25149): 16-element blocks, 2D weight scaling, random Hadamard transforms on Wgrad inputs, all three GEMMs in FP4",
  },
};

/** The recipe a run uses: the published one, else the framework's for fp8, nvfp4 for fp4, none for bf16. Cost O(1). */
export function recipeFor(
  precision: MatmulPrecision,
  published: PrecisionRecipe | undefined,
  frameworkFp8: PrecisionRecipe,
): RecipeProfile {
  if (precision === "bf16") return RECIPES.bf16;
  if (published !== undefined && RECIPES[published].matmul === precision) return RECIPES[published];
  return precision === "fp4"
    ? RECIPES.nvfp4
    : RECIPES[frameworkFp8].matmul === "fp8"
      ? RECIPES[frameworkFp8]
      : RECIPES["fp8-delayed"];
}

/** The bf16 profile (no low precision), for the GEMMs that stay in bf16. */
export const BF16_RECIPE: RecipeProfile = RECIPES.bf16;
