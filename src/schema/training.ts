// Scenario-file schema for the `training` section (same fields as a validation case's `training`).

import * as z from "zod";
import { count, countOrZero, efficiency, fraction, nonNegative, positive } from "./fields.js";

/** How a run was set up, as publications state it; every field optional, null where the source is silent. */
export const publicationFields = {
  framework: z
    .enum([
      "megatron-lm",
      "nemo",
      "megatron-deepspeed",
      "deepspeed",
      "torchtitan",
      "maxtext",
      "mindspeed",
      "pax",
      "llm-foundry",
      "levanter",
      "fast-llm",
      "axlearn",
      "flash-attn",
      "torchprime",
      "torchax",
      "other",
    ])
    .nullable()
    .optional(),
  /** FSDP / ZeRO-3: parameters freed after the forward and gathered again for the backward. */
  reshardAfterForward: z.boolean().nullable().optional(),
  /** Hybrid sharding: data-parallel ranks one parameter shard spans (replicas across groups). */
  shardGroupSize: count("data-parallel ranks per shard group").nullable().optional(),
  /**
   * Parameters per data-parallel gradient bucket below ZeRO-3 (Megatron-Core's DistributedDataParallelConfig
   * `bucket_size`, NeMo's `optim.bucket_size`, `--ddp-bucket-size`): one reduce-scatter (all-reduce) and one
   * parameter all-gather per bucket. null: the framework's default (Megatron-Core: max(40M, 1M x dp x cp)).
   */
  dpBucketParams: count("parameters per gradient bucket", 1e12).nullable().optional(),
  /**
   * Megatron-Core DDP's `check_for_nan_in_grad` (NeMo/Megatron-Bridge `DistributedDataParallelConfig`,
   * `--check-for-nan-in-loss-and-grad`): the norm of each gradient bucket is computed and checked on the host before
   * its reduce, below ZeRO-3. null/false: not checked (the check is not modelled unless a run publishes it).
   */
  checkForNanInGrad: z.boolean().nullable().optional(),
  /**
   * Megatron's `gradient_accumulation_fusion` (default on; `--no-gradient-accumulation-fusion` turns it off): on, the
   * weight-gradient GEMM accumulates straight into the fp32 main gradient; off, it writes a bf16 gradient that a
   * separate kernel adds into the fp32 main gradient every micro-batch (grad-accum.ts). null: on.
   */
  gradientAccumulationFusion: z.boolean().nullable().optional(),
  /**
   * Most CTAs (channels) the collective library may run a communicator on, per parallel group, as a run publishes
   * them (NCCL's per-communicator `maxCTAs`, Megatron's `--nccl-communicator-config-path` YAML): `dp` the gradient
   * reduce and parameter gather (Megatron's dp_cp communicator), `cp` the context-parallel ring, `pp` the pipeline
   * send-recv. A capped group moves at most that many times the family's per-channel rate. null: not capped.
   */
  commMaxCtas: z
    .strictObject({
      dp: count("CTAs of the data-parallel communicator", 1024).nullable().optional(),
      cp: count("CTAs of the context-parallel communicator", 1024).nullable().optional(),
      pp: count("CTAs of the pipeline communicator", 1024).nullable().optional(),
    })
    .nullable()
    .optional(),
  /**
   * Which low-precision recipe the GEMMs ran (scaling granularity). "fp8-rowwise": torchao's float8 row-wise recipe
   * (`--float8.recipe_name=rowwise`; torchao-rowwise.ts).
   */
  precisionRecipe: z
    .enum(["fp8-tensorwise", "fp8-delayed", "fp8-blockwise", "fp8-rowwise", "mxfp8", "nvfp4"])
    .nullable()
    .optional(),
  /** How MoE tokens reach their experts. */
  moeDispatcher: z.enum(["alltoall", "allgather", "deepep", "hybridep"]).nullable().optional(),
  /**
   * How a rank moves routed tokens into expert buffers: "permute" (gather and scatter by index, dropless grouped
   * GEMMs: Megatron-Core, MaxText sparse_matmul/megablox), "einsum" (one-hot dispatch and combine einsums over an
   * experts x capacity mask: GShard, MaxText dense_matmul with capacity_factor; needs moeCapacityFactor),
   * "capacity-buffer" (index gather into padded [experts, capacity, hidden] buffers per data-parallel group that every
   * tensor-parallel rank holds whole, exchanged and TP-reduced at buffer size: MindFormers MoEV2/TopkRouterV2 under
   * semi-auto parallel; needs moeCapacityFactor).
   */
  moeDispatch: z.enum(["permute", "einsum", "capacity-buffer"]).nullable().optional(),
  /**
   * Where the router sends each token's top-k copies (null: "learned"): "learned" = by the gate's scores, a token's
   * experts anywhere (trained or random gates, Megatron-Core's `moe_router_force_load_balancing`); "round-robin" =
   * copy j of the token at position t to expert (t k + j) mod E, so its k experts are consecutive and every expert
   * gets the same load (NeMo AutoModel's `fake_balanced_gate`; moe-routing.ts).
   */
  moeRouting: z.enum(["learned", "round-robin"]).nullable().optional(),
  /** Expert capacity over the balanced load (capacity_factor): tokens beyond it are dropped (null: dropless). */
  moeCapacityFactor: z
    .number()
    .finite()
    .positive({ error: "must be > 0 (expert slots over the balanced load)" })
    .max(64, { error: "must be <= 64" })
    .describe("expert slots over the balanced load")
    .nullable()
    .optional(),
  /**
   * Every expert buffer padded to the capacity (Megatron-Core moe_pad_expert_input_to_capacity): each expert runs
   * capacity rows, and the row counts are known on the host without a device sync (needs moeCapacityFactor).
   */
  moePadToCapacity: z.boolean().nullable().optional(),
  /** How expert all-to-all is hidden behind compute. */
  moeOverlap: z.enum(["none", "deepep", "two-batch", "dualpipe"]).nullable().optional(),
  /** Shares of optimizer state, weights and activations kept in host memory. */
  offload: z
    .strictObject({
      optimizer: fraction("share of optimizer state in host memory").nullable().optional(),
      weights: fraction("share of weights in host memory").nullable().optional(),
      activations: fraction("share of activations in host memory").nullable().optional(),
    })
    .nullable()
    .optional(),
  /** CUDA graphs (or an equivalent whole-step capture) were used. */
  cudaGraphs: z.boolean().nullable().optional(),
  /** The model's blocks were compiled (torch.compile): their element-wise op chains run as fused kernels. */
  compile: z.boolean().nullable().optional(),
  /**
   * What the CUDA graphs cover (null: "layers"): "layers" = per-layer graphs over attention, router and dispatch
   * preprocess, the routed-expert path of a dropless MoE layer left eager (Megatron's cuda_graph_impl
   * transformer_engine); "full-iteration" = the whole forward-backward step captured, routed experts included
   * (Megatron's cuda_graph_impl full_iteration). Implies `cudaGraphs` when that is not published.
   */
  cudaGraphScope: z.enum(["layers", "full-iteration"]).nullable().optional(),
  /**
   * How the routed experts' MLP runs (null: the framework's default): "per-expert" = one GEMM per local expert
   * and projection (Transformer Engine GroupedLinear over cuBLAS streams); "grouped" = one grouped kernel per
   * projection; "fused" = one grouped kernel per projection with the activation function and the quantisation of
   * the second projection's input fused into the first's epilogue (Transformer Engine's CuTe DSL fused grouped
   * MLP, Megatron-Bridge cutedsl_fused_grouped_mlp).
   */
  moeExpertMlp: z.enum(["per-expert", "grouped", "fused"]).nullable().optional(),
  /**
   * The output layer (LM head, shared by the MTP modules) runs its GEMMs at the run's low precision (Megatron-Core
   * `fp8_output_proj`: the logits projection under MXFP8 through Transformer Engine). null: bf16, Megatron's
   * default under every FP8/FP4 recipe. Has no effect on a bf16 run.
   */
  lowPrecisionOutputLayer: z.boolean().nullable().optional(),
  /**
   * The language-model loss kernel the run selected: "te" = Megatron-Core's `--cross-entropy-loss-fusion` with
   * `--cross-entropy-fusion-impl te`, Transformer Engine's Triton `parallel_cross_entropy` over the bf16 logits
   * (output-layer.ts `TE_FUSED_LOSS`). null: the framework profile's loss (Megatron's default is the unfused
   * vocab-parallel op chain; `cross_entropy_loss_fusion` defaults to False).
   */
  crossEntropyFusion: z.enum(["te"]).nullable().optional(),
  /**
   * The attention core as the run's software ran it: "unfused" = separate batched-GEMM, softmax and GEMM kernels
   * with the score matrix in HBM (Transformer Engine's UnfusedDotProductAttention, which TE picks when no fused
   * kernel accepts the shape: MLA training on Blackwell before TE 2.5 with cuDNN 9.11; unfused-attention.ts);
   * "fused" = the framework's fused kernel; "sdpa" = PyTorch's scaled_dot_product_attention with its default backend
   * priority (FlashAttention-2 on A100 and H100; the chip family's `attention.sdpa`), when the source says the run
   * called it (fms-fsdp: "SDPA implementation of Flash attention v2"); "splash" = Pallas splash attention, the TPU
   * family's fused class, when a run on TPU names it over its framework's default kernel (torchprime's
   * `model.attention_kernel=splash_attention`, whose default is the first Pallas flash kernel); refused on a family whose fused
   * kernel is not splash (attention-dq-atomics.ts `splashAttentionClass`). null: the framework's kernel class.
   */
  attentionBackend: z.enum(["fused", "unfused", "sdpa", "splash"]).nullable().optional(),
  /**
   * How the fused attention backward accumulates the query gradient: "fp32" atomics (the kernels' default) or
   * "16-bit" atomics, as Transformer Engine on ROCm runs the CK/aiter v3 backward with `NVTE_CK_IS_V3_ATOMIC_FP32=0`
   * (the chip family's `attention.fused16BitDqAtomics`; refused on a family without it; attention-dq-atomics.ts).
   * null: the default (fp32).
   */
  attentionDqAtomics: z.enum(["fp32", "16-bit"]).nullable().optional(),
  /**
   * Chunks the loss is computed in over the micro-batch's tokens (MaxText `num_vocab_tiling`): the logits of one chunk
   * at a time, each recomputed in the backward (vocab-tiling.ts), so the output layer's forward runs twice and its
   * logits are never held whole. Must divide the micro-batch's tokens. null: 1 (logits in one piece).
   */
  vocabTiles: count("chunks the loss is computed in").nullable().optional(),
  /**
   * Query block of a block-sparse attention kernel, forward and backward, tokens (MaxText splash attention's
   * `sa_block_q` and `sa_block_q_dkv`): a windowed layer computes every block its band touches (sliding-window.ts).
   * null: the framework's default (MaxText configs/base.yml: 512 and 512; other frameworks: not charged).
   */
  attentionBlock: z
    .strictObject({
      forward: count("tokens per attention query block"),
      backward: count("tokens per attention query block"),
    })
    .nullable()
    .optional(),
  /**
   * The embedding lookup runs as a matmul of the tokens' one-hot rows with the table (MaxText `use_iota_embed`), forward
   * and for the table's gradient, instead of a gather (iota-embed.ts). null: false, a gather (MaxText configs/base.yml
   * `use_iota_embed: False`).
   */
  embeddingOneHot: z.boolean().nullable().optional(),
  /**
   * Whether the op-level selective checkpointing policy (torchtitan's `selective_ac_option = "op"`) keeps the output
   * of the attention op the run dispatched. false: the op is not on the policy's save list, so the backward reruns the
   * attention forward (torchtitan before pull request 2095 of 2025-12-01 saved only the flash and memory-efficient SDPA
   * ops, while on compute capability 10.0 it dispatches cuDNN attention; op-sac-attention.ts). null: true, the
   * current save list (every SDPA backend). Only for a framework with an op-level policy.
   */
  opSacSavesAttention: z.boolean().nullable().optional(),
  /**
   * Kernel launches block until the kernel has finished, as the run's environment set them (CUDA_LAUNCH_BLOCKING=1, a
   * debugging switch): host and device work take turns, each launch waits one completion round trip, and no
   * collective hides behind compute (launch-blocking.ts). null: false, asynchronous launches. Not with CUDA graphs.
   */
  launchBlocking: z.boolean().nullable().optional(),
  /**
   * Decoder layers on the first and on the last pipeline rank, all its virtual stages together, when the run
   * publishes its layout (Megatron's pipeline_model_parallel_layout): the first rank also holds the embedding, the
   * last the MTP modules and the loss; the middle ranks share the other layers. null: the model's split.
   */
  pipelineLayers: z
    .strictObject({
      first: countOrZero("decoder layers on the first pipeline rank"),
      last: countOrZero("decoder layers on the last pipeline rank"),
    })
    .nullable()
    .optional(),
  /**
   * Sequences per data-parallel rank that one run of the pipeline schedule processes, when the framework
   * accumulates gradients over several schedule runs per optimizer step (NeMo AutoModel's and torchtitan's
   * `local_batch_size`: each gradient-accumulation step calls the pipeline schedule once, with its own fill and
   * drain). Must divide globalBatchSize / dp and be a multiple of microBatchSize. null: the whole step is one
   * schedule run (Megatron-Core).
   */
  localBatchSize: count("sequences per data-parallel rank and pipeline schedule run").nullable().optional(),
};

/**
 * Module names Megatron-Core's `recompute_modules` accepts (megatron/core/transformer/transformer_config.py;
 * default ["core_attn"]): "core_attn" the attention core, "mla_up_proj" MLA's q/kv up-projections, "moe_act" the
 * routed experts' activation function, "layernorm" the input and pre-MLP norms, "mlp" the dense MLP, "moe" the
 * whole MoE block (router, dispatch, experts), "shared_experts" the shared experts' MLP.
 */
export const RECOMPUTE_MODULES = [
  "core_attn",
  "mla_up_proj",
  "moe_act",
  "layernorm",
  "mlp",
  "moe",
  "shared_experts",
] as const;
export type RecomputeModule = (typeof RECOMPUTE_MODULES)[number];

export const trainingFile = z.lazy(() =>
  z.strictObject({
    seqLength: count("tokens per sequence", 1e8),
    globalBatchSize: count("sequences per optimizer step"),
    /** null: not published; 1 is used. */
    microBatchSize: count("sequences per micro-batch").nullable().optional(),
    tp: count("tensor-parallel ranks").optional(),
    pp: count("pipeline stages").optional(),
    /** Derived from the chips and the other degrees when omitted. */
    dp: count("data-parallel replicas").optional(),
    cp: count("context-parallel ranks").optional(),
    /** Expert parallel, carved out of the data-parallel ranks. */
    ep: count("expert-parallel ranks").optional(),
    etp: count("expert tensor-parallel ranks").optional(),
    vpp: count("virtual pipeline stages per rank").nullable().optional(),
    sequenceParallel: z.boolean().optional(),
    recompute: z.enum(["none", "selective", "full"]).optional(),
    /**
     * Selective recompute by module, as Megatron-Core's `recompute_modules` (--recompute-modules; default
     * ["core_attn"]): the modules whose forward the backward reruns and whose internal activations are not kept.
     * null/absent: `recompute` alone decides (its "selective" is ["core_attn"]). Implies recompute "selective".
     */
    recomputeModules: z.array(z.enum(RECOMPUTE_MODULES)).nullable().optional(),
    zero: z.number().int().min(0).max(3).optional(),
    precision: z.enum(["bf16", "fp8", "fp4"]).optional(),
    /** Known communication-overlap switches; other keys (published settings) are kept and ignored. */
    overlap: z
      .looseObject({
        /** TP all-gather/reduce-scatter hidden behind the GEMMs (default false). */
        tpComm: z.boolean().optional(),
        /** DP gradient reduce behind the last backward, parameter gather behind the first forward (default: true with zero 3, else false). */
        dpComm: z.boolean().optional(),
        /** EP all-to-all behind another micro-batch's compute (default true with DualPipe). */
        epComm: z.boolean().optional(),
        /** Pipeline send/receive behind compute (asynchronous point-to-point). */
        ppComm: z.boolean().optional(),
      })
      .optional(),
    schedule: z.string().optional(),
    /**
     * Overrides of the chip family's kernel profile (see docs/training.md): `gemm.<precision>` and `attention` replace
     * the unbounded-shape fractions of peak, the others the family's figures of the same name.
     */
    efficiency: z
      .strictObject({
        gemm: z
          .strictObject({
            bf16: efficiency("of the bf16 peak").optional(),
            fp8: efficiency("of the fp8 peak").optional(),
            fp4: efficiency("of the fp4 peak").optional(),
          })
          .optional(),
        attention: efficiency("of the bf16 peak").optional(),
        attentionScoreBytes: nonNegative("bytes per score element", { max: 64 }).optional(),
        memory: efficiency("of HBM bandwidth").optional(),
        collective: efficiency("of payload link bandwidth").optional(),
        overlapCost: fraction("of the hidden communication time").optional(),
        expertGemmHostS: nonNegative("seconds of host time per local expert and GEMM call", {
          max: 0.01,
        }).optional(),
      })
      .optional(),
    /**
     * Routed load of the busiest expert-parallel rank over the mean, as measured or forced (null: not published;
     * balanced routing's statistical spread is used).
     */
    moeImbalance: z
      .number()
      .finite()
      .min(1, { error: "must be >= 1 (busiest over mean load)" })
      .nullable()
      .optional(),
    /** Chips the job uses; defaults to the whole system. */
    chips: count("chips").optional(),
    /** Tokens to train on, for time and energy to train. */
    trainTokens: positive("tokens", { min: 1, max: 1e18 }).optional(),
    // Facts a publication gives about how the run was done (null: not published). Optional; the model's
    // defaults decide where they are absent. Names agreed between the data, fit-train and fit-serve work.
    ...publicationFields,
  }),
);
export type TrainingFile = z.input<typeof trainingFile>;
export type TrainingConfig = z.output<typeof trainingFile>;
export { countOrZero };
