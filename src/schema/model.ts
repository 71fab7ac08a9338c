// File-format schema for a transformer model (dense or MoE), identical to the `model` object of validation cases.
import * as z from "zod";
import { count, countOrZero, positive, sourceRef } from "./fields.js";

export const mlaFile = z.strictObject({
  type: z.literal("mla"),
  qLoraRank: countOrZero("rank").optional(),
  kvLoraRank: count("rank"),
  qkNopeHeadDim: count("dims"),
  qkRopeHeadDim: count("dims"),
  vHeadDim: count("dims"),
});

export const moeFile = z.strictObject({
  experts: count("routed experts"),
  topK: count("experts per token"),
  sharedExperts: countOrZero("shared experts").optional(),
  expertFfnHiddenSize: count("hidden units"),
  /** Leading layers that use a dense MLP instead of MoE. */
  denseLayers: countOrZero("layers").optional(),
  /** Layers are MoE every N layers (1 = every layer). */
  moeLayerFrequency: count("layers").optional(),
  /** Routed experts' linears carry biases (gpt-oss: `gate_up_proj_bias`, `down_proj_bias`); absent: none. */
  expertBias: z.boolean().optional(),
  /**
   * Clamp of the experts' gated activation: the gate clamped at most this value and the linear half to +-it
   * (gpt-oss config.json `swiglu_limit` 7.0); absent: not clamped.
   */
  gluClamp: positive("activation units").optional(),
});

/**
 * Sliding-window (local) attention: `windowTokens` keys before and including each query, on the layers a repeating
 * pattern of `localLayers` windowed layers followed by `globalLayers` full-attention layers picks, starting at
 * layer 0 (gpt-oss: 128, 1, 1; Gemma 3: 1024, 5, 1; Mistral 7B v0.1: 4096, 1, 0 = every layer windowed).
 */
export const slidingWindowFile = z.strictObject({
  windowTokens: count("tokens"),
  localLayers: count("layers").optional(),
  globalLayers: countOrZero("layers").optional(),
});

/** The model's fields, each checked on its own; `modelFile` adds the checks across fields. */
const modelFields = z.strictObject({
  id: z.string().optional(),
  name: z.string().optional(),
  layers: count("layers"),
  hiddenSize: count("hidden units"),
  ffnHiddenSize: count("hidden units"),
  heads: count("attention heads"),
  kvHeads: count("key/value heads").optional(),
  headDim: count("dims").optional(),
  vocabSize: count("tokens"),
  gatedMlp: z.boolean().optional(),
  parallelBlock: z.boolean().optional(),
  tiedEmbeddings: z.boolean().optional(),
  /** RMSNorms on the attention output and on the MLP output before each residual sum (Gemma 2 and 3); absent: none. */
  postNorms: z.boolean().optional(),
  /** Per-head RMSNorm on queries and keys before attention (Gemma 3, Qwen3, OLMo 2); absent: none. */
  qkNorm: z.boolean().optional(),
  /**
   * The query and key RMSNorms span all heads at once (MiniMax-M2's per-layer QK norm over heads x head dim) instead of
   * one head each; under tensor parallelism the ranks then all-reduce their partial sums of squares; absent: per head.
   */
  qkNormAcrossHeads: z.boolean().optional(),
  attention: z.union([z.strictObject({ type: z.enum(["mha", "gqa", "mqa"]) }), mlaFile]).optional(),
  moe: moeFile.optional(),
  /** Sliding-window attention on some or all layers; absent: every layer attends to the whole sequence. */
  slidingWindow: slidingWindowFile.optional(),
  mtpDepth: countOrZero("multi-token-prediction modules").optional(),
  sources: z.array(sourceRef).optional(),
  notes: z.string().optional(),
});

export const modelFile = modelFields.superRefine((m, ctx) => {
  // An across-heads QK norm is a QK norm: the flag says how it spans the heads, so it cannot stand without `qkNorm`.
  if (m.qkNormAcrossHeads === true && m.qkNorm !== true)
    ctx.addIssue({
      code: "custom",
      path: ["qkNormAcrossHeads"],
      message: `qkNormAcrossHeads true needs qkNorm true (got qkNorm ${String(m.qkNorm)})`,
      input: m.qkNormAcrossHeads,
    });
});
export type ModelFile = z.input<typeof modelFile>;
export type ModelConfig = z.output<typeof modelFile>;

/** A model by catalog id, inline, or a catalog entry with fields overridden. */
export const modelRef = z.union([
  z.string().min(1),
  z.looseObject({ extends: z.string().min(1) }),
  modelFile,
]);
