// Memory traffic of a gated MLP's activation run as a kernel of its own between the GEMMs (TensorRT-LLM 2023).

/**
 * Bytes one rank moves per step for the gated activation of its dense MLP layers when the engine runs it as a
 * separate kernel (`separateGatedActivation`), O(1): every token's gate and up outputs read in 16 bits (2 x 2 bytes
 * per FFN column of the rank) and their product written at the down projection's input precision (`inputBytes`: 1 for
 * FP8, 2 for 16-bit), over `denseLayers` layers. Why: TensorRT-LLM v0.5-v0.6 ran Llama's gate and up projections as
 * two matmuls (or, with `--use_fused_mlp`, one) followed by 'a separate SwiGLU kernel' (docs/source/performance.md,
 * 'Known Issues: Fused Matmul + Gated-SiLU (LLaMA)', v0.6.1: 'The future release will include a more efficient
 * implementation that runs single Matmul + SwiGLU fused kernel'); a GEMM epilogue cannot take the product of two GEMM
 * outputs, so that kernel reads both from memory. The cost model's elementwise term counts hidden-sized traffic only
 * (`ELEMENTWISE_BYTES_PER_HIDDEN`, src/serving/cost.ts). 0 for ungated MLPs (`gatedWidth` 0), when off, or with no
 * tokens. Throws on a negative or non-finite input, naming it.
 */
export function separateGatedActivationBytes(
  on: boolean | undefined,
  tokens: number,
  gatedWidth: number,
  tp: number,
  denseLayers: number,
  inputBytes: number,
): number {
  const args = { tokens, gatedWidth, tp, denseLayers, inputBytes };
  for (const [k, v] of Object.entries(args)) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`${k} must be a finite number >= 0, got ${v}`);
  }
  if (on !== true || gatedWidth === 0 || tokens === 0 || denseLayers === 0) return 0;
  if (tp < 1) throw new RangeError(`tp must be >= 1, got ${tp}`);
  return tokens * (gatedWidth / tp) * (2 * 2 + inputBytes) * denseLayers;
}
