// Schemas for serving: the scenario `serving` section (pools, workload, SLO, prices) and a validation case's `serving` fields.
import * as z from "zod";
import { count, efficiency, fraction, nonNegative, positive, recordOf } from "./fields.js";
import { chipRef } from "./hardware.js";

export const matmulPrecision = z.enum(["bf16", "fp16", "fp8", "int8", "fp4"]);

/** Kernel-efficiency overrides (fractions of peak; seconds as ...S, so keys carry their unit). */
export const efficiencyOverride = z.lazy(() =>
  z.strictObject({
    gemm: efficiency("achieved / peak GEMM FLOP/s").optional(),
    groupedGemm: efficiency("achieved / peak grouped GEMM FLOP/s").optional(),
    attentionCompute: efficiency("achieved / peak attention FLOP/s").optional(),
    memory: efficiency("achieved / peak HBM bandwidth").optional(),
    allToAll: efficiency("achieved / nominal all-to-all bandwidth").optional(),
    allToAllFixedUs: nonNegative("us").optional(),
    allToAllScaleOutFixedUs: nonNegative("us").optional(),
    weightStreaming: efficiency("achieved / peak HBM bandwidth when matmuls stream weights").optional(),
    groupedWeightStreaming: efficiency(
      "achieved / peak HBM bandwidth when a fused-MoE call streams the touched experts' weights",
    ).optional(),
    kernelFloorUs: nonNegative("us").optional(),
    launchEagerUs: nonNegative("us").optional(),
    allReduceFixedUs: nonNegative("us").optional(),
    overlapNormal: fraction(
      "share of the shorter of compute and communication hidden, normal all-to-all (prefill)",
    ).optional(),
    overlapLowLatency: fraction("share hidden with low-latency all-to-all (decode)").optional(),
  }),
);

/** Serving engines a scenario or case can name; each has a profile in src/serving/engines/. */
export const servingEngine = z.enum([
  "generic",
  "sglang",
  "sglang-0.4.2",
  "sglang-jax",
  "trtllm",
  "trtllm-2023",
  "trtllm-0.8",
  "trtllm-pytorch-0.17",
  "vllm",
  "vllm-0.10",
  "vllm-v0",
  "vllm-ascend-0.9",
  "mindie",
  "xdeepserve",
  "hf-transformers",
  "other",
]);
/**
 * A scenario's own serving engine: a built-in profile (`extends`) with some of its figures replaced. It keeps the
 * built-in's lineage, so chip families' figures for the built-in and its ancestors reach it (src/serving/engines/
 * lineage.ts). `id` names it in reports and must not be a built-in id.
 */
export const customServingEngine = z.strictObject({
  extends: servingEngine,
  id: z.string().min(1),
  name: z.string().min(1).optional(),
  /** Host time of one engine step, s. */
  hostStepS: nonNegative("s").optional(),
  /** Host time per running sequence per step, s. */
  hostPerSeqS: nonNegative("s").optional(),
  /** Decode steps replay captured graphs. */
  decodeGraphs: z.boolean().optional(),
  /** Largest decode batch per attention rank with a captured graph. */
  graphMaxBatchPerRank: count("sequences per rank").optional(),
  /** Kernels launched per layer relative to the unfused count. */
  kernelFactor: positive("kernels per unfused kernel").optional(),
  /** Host time of each speculative draft pass the overlap does not hide, s. */
  draftHostS: nonNegative("s").optional(),
});

/** Speculative decoding methods: multi-token prediction heads, EAGLE draft heads, n-gram lookup. */
export const speculativeMethod = z.enum(["mtp", "eagle", "eagle3", "ngram"]);

/** One pool of identical serving instances (prefill, decode or colocated). */
export const poolFile = z.lazy(() =>
  z.strictObject({
    /** Chip of this pool when it differs from the system's (e.g. ascend-950pr for prefill). */
    chip: chipRef.optional(),
    instances: count("instances"),
    instanceChips: count("chips per instance"),
    tp: count("tensor-parallel ranks").optional(),
    /** Data-parallel attention ranks; default instanceChips / tp. */
    attentionDp: count("data-parallel attention ranks").optional(),
    /** Expert-parallel degree; default instanceChips for MoE models, 1 for dense ones. */
    ep: count("expert-parallel ranks").optional(),
    /** New prompt tokens one attention rank processes per step (chunked prefill budget). */
    chunkTokens: count("tokens per step per rank").optional(),
    /** Most sequences one attention rank decodes at once. */
    maxBatchPerRank: count("sequences per rank").optional(),
    twoBatchOverlap: z.boolean().optional(),
    /** Share of chip memory for weights + KV in this pool (overrides serving.memoryUtilization). */
    memoryUtilization: fraction("usable share of chip memory").optional(),
  }),
);
export type PoolFile = z.input<typeof poolFile>;

/** A token-length distribution. */
export const lengthDist = z.lazy(() =>
  z.union([
    count("tokens"),
    z.strictObject({ kind: z.literal("fixed"), tokens: count("tokens") }),
    z
      .strictObject({ kind: z.literal("uniform"), minTokens: count("tokens"), maxTokens: count("tokens") })
      .check((ctx) => {
        if (ctx.value.maxTokens < ctx.value.minTokens)
          ctx.issues.push({
            code: "custom",
            message: `must be >= minTokens (${ctx.value.minTokens})`,
            input: ctx.value.maxTokens,
            path: ["maxTokens"],
          });
      }),
    z
      .strictObject({
        kind: z.literal("lognormal"),
        meanTokens: positive("tokens", { min: 1 }),
        /** Coefficient of variation (standard deviation / mean). */
        cv: positive("ratio", { max: 100 }),
        maxTokens: count("tokens").optional(),
      })
      .check((ctx) => {
        // A cap below the mean would clip most draws to the cap: the lengths would no longer have the stated mean.
        const { meanTokens, maxTokens } = ctx.value;
        if (maxTokens !== undefined && maxTokens < meanTokens)
          ctx.issues.push({
            code: "custom",
            message: `must be >= meanTokens (${meanTokens}): a cap below the mean clips most lengths to the cap`,
            input: maxTokens,
            path: ["maxTokens"],
          });
      }),
  ]),
);

export const traceRequest = z.lazy(() =>
  z.strictObject({
    arrivalS: nonNegative("s"),
    inputTokens: count("tokens"),
    outputTokens: count("tokens"),
  }),
);

export const arrivalFile = z.lazy(() =>
  z.union([
    z.strictObject({ kind: z.literal("poisson"), ratePerS: positive("requests/s") }),
    z.strictObject({
      kind: z.literal("gamma"),
      ratePerS: positive("requests/s"),
      /** Coefficient of variation of inter-arrival gaps; 1 = Poisson, > 1 bursty (1e-3: nearly regular, up to 100). */
      cv: positive("ratio", { min: 1e-3, max: 100 }),
    }),
    z.strictObject({
      kind: z.literal("on-off"),
      /** Poisson rate while on. */
      ratePerS: positive("requests/s"),
      onS: positive("s"),
      offS: positive("s"),
    }),
    z.strictObject({ kind: z.literal("trace"), requests: z.array(traceRequest).min(1) }),
  ]),
);

export const workloadFile = z.lazy(() =>
  z.strictObject({
    arrival: arrivalFile,
    /** Requests to simulate (ignored for a trace, which gives its own). */
    requests: count("requests").optional(),
    inputTokens: lengthDist.optional(),
    outputTokens: lengthDist.optional(),
    /** Share of each prompt already in the prefix cache (its KV need not be computed). */
    prefixHitRate: fraction("share of prompt tokens found in the prefix cache").optional(),
  }),
);

export const servingFile = z.lazy(() =>
  z.strictObject({
    /** disaggregated: separate prefill and decode pools; colocated: one pool doing both (chunked prefill). */
    mode: z.enum(["disaggregated", "colocated"]),
    /**
     * Serving engine whose step overheads, graph capture and fusion the cost model uses (default generic): a built-in
     * id or `{extends: <id>, id: <name>, ...}` (customServingEngine).
     */
    engine: z.union([servingEngine, customServingEngine]).optional(),
    /** Run the engine's host scheduling one step ahead of the device (true) or in series with it (false); default the engine's. */
    hostOverlap: z.boolean().optional(),
    /**
     * Speculative decoding on the decoding pools: each step verifies `draftTokens` drafts per sequence, and
     * each draft is accepted with probability `acceptanceRate` if the drafts before it were (the first rejection
     * ends the run), so a sequence gains 1 to 1 + draftTokens tokens per step.
     */
    speculative: z
      .strictObject({
        method: speculativeMethod.optional(),
        draftTokens: count("draft tokens per sequence per step"),
        acceptanceRate: fraction("probability a draft token is accepted, given the drafts before it were"),
      })
      .optional(),
    precision: matmulPrecision.optional(),
    /** Precision of the attention projection GEMMs; default: BF16 under an FP4 `precision`, else `precision`. */
    attentionPrecision: matmulPrecision.optional(),
    /**
     * The checkpoint's weight scaling where it matters to the kernels: "block-fp8" (128 x 128 weight blocks),
     * "torchao-rowwise-fp8" (torchao per-row FP8, run through torch._scaled_mm), "torchao-nvfp4" (torchao NVFP4),
     * "int8-weight-only" (int8 weights, 16-bit activations: the matmul at the 16-bit rate; precision int8).
     */
    quantization: z
      .enum(["block-fp8", "torchao-rowwise-fp8", "torchao-nvfp4", "int8-weight-only"])
      .optional(),
    /**
     * KV-cache element type: "bf16", "fp8", or "int8" (8-bit integers with per-token scales, dequantised to 16 bits in
     * the attention kernel: jax-llm-examples' `quant_cache`); default "bf16".
     */
    kvCache: z.enum(["bf16", "fp8", "int8"]).optional(),
    prefill: poolFile.optional(),
    decode: poolFile.optional(),
    colocated: poolFile.optional(),
    /** Network tier (by name) that carries KV from prefill to decode; default the outermost tier. */
    kvTransferTier: z.string().min(1).optional(),
    workload: workloadFile,
    slo: z.strictObject({ ttftMs: positive("ms").optional(), tpotMs: positive("ms").optional() }).optional(),
    /** Price of one chip-hour, by chip id or "default", in USD. */
    pricePerChipHourUsd: recordOf(positive("USD per chip-hour"), "a chip").optional(),
    expertImbalance: z.number().finite().min(1).max(100).optional(),
    redundantExperts: z.number().int().min(0).max(1e6).optional(),
    memoryUtilization: fraction("usable share of chip memory").optional(),
    efficiency: efficiencyOverride.optional(),
    /** Stop the simulation at this simulated time even if requests remain. */
    maxSimulatedS: positive("s").optional(),
  }),
);
export type ServingFile = z.input<typeof servingFile>;
export type ServingConfig = z.output<typeof servingFile>;

/** The `serving` fields of a validation case (shared/validation/FORMAT.md); unknown extra keys are allowed; null = not published. */
export const servingCase = z.lazy(() =>
  z
    .looseObject({
      phase: z.enum(["prefill", "decode"]),
      precision: matmulPrecision,
      /** Precision of the attention projection GEMMs where the source states it; null: the model's default. */
      attentionPrecision: matmulPrecision.nullish().transform((v) => v ?? undefined),
      /**
       * The checkpoint's weight scaling where the source states it ("block-fp8": 128 x 128 weight blocks;
       * "torchao-rowwise-fp8": torchao per-row FP8; "torchao-nvfp4": torchao NVFP4; "int8-weight-only": int8 weights
       * with 16-bit activations); null: not stated.
       */
      quantization: z
        .enum(["block-fp8", "torchao-rowwise-fp8", "torchao-nvfp4", "int8-weight-only"])
        .nullish()
        .transform((v) => v ?? undefined),
      instanceChips: count("chips per instance"),
      tp: count("tensor-parallel ranks")
        .nullish()
        .transform((v) => v ?? undefined),
      attentionDp: count("data-parallel attention ranks")
        .nullish()
        .transform((v) => v ?? undefined),
      ep: count("expert-parallel ranks")
        .nullish()
        .transform((v) => v ?? undefined),
      /** Prompt length: prefill cases; decode cases: the benchmark's prompts (charged only when `colocated`). */
      inputTokens: count("prompt tokens")
        .nullish()
        .transform((v) => v ?? undefined),
      batchPerChip: positive("sequences per chip")
        .nullish()
        .transform((v) => v ?? undefined),
      contextTokens: positive("tokens")
        .nullish()
        .transform((v) => v ?? undefined),
      kvCache: z
        .enum(["bf16", "fp8", "int8"])
        .nullish()
        .transform((v) => v ?? undefined),
      twoBatchOverlap: z
        .boolean()
        .nullish()
        .transform((v) => v ?? undefined),
      /** Share of prompt tokens served from the prefix cache (prefill), when published. */
      prefixHitRate: fraction("share of prompt tokens found in the prefix cache")
        .nullish()
        .transform((v) => v ?? undefined),
      /** Decode with speculative multi-token prediction: draft tokens verified per sequence per step. */
      speculativeTokens: nonNegative("draft tokens per step")
        .nullish()
        .transform((v) => v ?? undefined),
      /** Mean tokens each decoding sequence gains per step with speculation (1 + accepted drafts). */
      acceptedTokensPerStep: positive("tokens per sequence per step")
        .nullish()
        .transform((v) => v ?? undefined),
      /** Serving engine that produced the figure (null: not published; the generic profile is used). */
      engine: servingEngine.nullish().transform((v) => v ?? undefined),
      speculativeMethod: speculativeMethod.nullish().transform((v) => v ?? undefined),
      /**
       * Whether the engine's scheduler ran one step ahead of the device (SGLang's overlap scheduler,
       * TensorRT-LLM's overlap scheduler), when the source says; null: the engine's default.
       */
      hostOverlap: z
        .boolean()
        .nullish()
        .transform((v) => v ?? undefined),
      /** Output tokens per request of the benchmark, when published. */
      outputTokens: count("tokens")
        .nullish()
        .transform((v) => v ?? undefined),
      /**
       * Prefill and decode on the same engine (aggregated, "PD mixed") under a closed-loop benchmark whose
       * finished requests are replaced at once, when the source states it: a decode case then carries the
       * prefill of arriving prompts (`inputTokens` each) in its steps. On a prefill case with `concurrency` and
       * `outputTokens` > 1: a one-wave offline run of `concurrency` prompts on that engine whose published rate spans
       * the whole run, its decode steps included (src/serving/offline-run.ts). null / false: not charged
       * (disaggregated decode instances, one-wave runs, or the source is silent).
       */
      colocated: z
        .boolean()
        .nullish()
        .transform((v) => v ?? undefined),
      /** Concurrent requests of the benchmark client, when published. */
      concurrency: count("requests")
        .nullish()
        .transform((v) => v ?? undefined),
      /**
       * Replicated expert slots across the instance beyond the model's routed experts (EPLB; SGLang's
       * --ep-num-redundant-experts), when published; null: none.
       */
      redundantExperts: z
        .number()
        .int()
        .min(0)
        .max(1e6)
        .nullish()
        .transform((v) => v ?? undefined),
    })
    .superRefine((v, ctx) => {
      if (v.phase === "prefill" && v.inputTokens === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["inputTokens"],
          message: "a prefill case needs its prompt length",
          input: undefined,
        });
      }
      const spec = v.speculativeTokens ?? 0;
      if (spec > 0 && (v.acceptedTokensPerStep === undefined || v.acceptedTokensPerStep > 1 + spec)) {
        ctx.addIssue({
          code: "custom",
          path: ["acceptedTokensPerStep"],
          message:
            "speculative decoding needs the mean tokens gained per step, at most 1 + speculativeTokens",
          input: v.acceptedTokensPerStep,
        });
      }
      if (v.phase === "decode") {
        if (v.batchPerChip === undefined)
          ctx.addIssue({
            code: "custom",
            path: ["batchPerChip"],
            message: "a decode case needs its batch per chip",
            input: undefined,
          });
        if (v.contextTokens === undefined)
          ctx.addIssue({
            code: "custom",
            path: ["contextTokens"],
            message: "a decode case needs its mean context length",
            input: undefined,
          });
      }
    }),
);
export type ServingCase = z.output<typeof servingCase>;
