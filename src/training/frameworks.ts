// Training frameworks as their documentation and recipes publish them: which attention kernels they call, which overlaps they turn on, how they dispatch experts and shard.

import { ZettasimError } from "../core/errors.js";
import { type BucketDefault, MEGATRON_BUCKET_DEFAULT } from "./dp-buckets.js";
import type { AttentionClass } from "./kernels.js";
import type { ExchangeLocalSort } from "./local-expert-sort.js";
import { ADAFACTOR_BF16_PARAMS, type OptimizerBytes, SGD_BF16_PARAMS } from "./optimizer-state.js";
import type { LossBytes } from "./output-layer.js";
import type { RecomputeModule } from "./recompute-modules.js";
import { type CpGradRotation, TORCH_RING_GRADIENTS } from "./ring-grad-rotation.js";
import { ROUTER_PREPROCESS_HOST_S } from "./router-host.js";
import { OP_SELECTIVE_GEMM_SHARE } from "./torch-native.js";
import type { XlaBackend } from "./xla-collective-schedule.js";

export type FrameworkId =
  | "megatron-lm"
  | "nemo"
  | "megatron-deepspeed"
  | "deepspeed"
  | "torchtitan"
  | "maxtext"
  | "mindspeed"
  | "pax"
  | "llm-foundry"
  | "levanter"
  | "fast-llm"
  | "axlearn"
  | "flash-attn"
  | "torchprime"
  | "torchax"
  | "other";

export type MoeDispatcher = "alltoall" | "allgather" | "deepep" | "hybridep";
/** How routed experts' MLPs run: one GEMM per local expert, one grouped kernel per projection, or fused (see the schema). */
export type ExpertMlp = "per-expert" | "grouped" | "fused";
/**
 * How a clamped or biased expert GLU (gpt-oss) runs: "eager" = Megatron-Core's clamps and concatenation around its
 * fused activation and the second projection's bias added expert by expert (expert-glu.ts); "fused" = inside the
 * compiled step or the fused activation and GEMM epilogues.
 */
export type ExpertGluOps = "eager" | "fused";
export type PrecisionRecipe =
  | "fp8-tensorwise"
  | "fp8-delayed"
  | "fp8-blockwise"
  | "fp8-rowwise"
  | "mxfp8"
  | "nvfp4";

/**
 * What a framework does when a run does not say otherwise. Every field is a documented default of the
 * software (its arguments, recipes or source), never a figure fitted to make its runs come out right.
 */
export interface FrameworkProfile {
  id: FrameworkId;
  name: string;
  /**
   * Attention kernels: "fused" = the family's fused kernel class (Transformer Engine's cuDNN attention,
   * MaxText's Pallas kernels, MindSpeed's FlashAttention on Ascend); "sdpa" = PyTorch's
   * scaled_dot_product_attention with its default backend priority (the family says which kernel that is);
   * "flash-v1" = FlashAttention-1-class kernels (LLM Foundry's Triton port; `catalog/families/flash-v1.ts`).
   */
  attention: AttentionClass;
  /** Default communication overlaps (the run's `overlap` fields win). */
  overlap: { tpComm: boolean; dpComm: boolean };
  /**
   * How the TP overlap (`overlap.tpComm`) hides sequence-parallel collectives: absent = behind the layer's GEMMs as a
   * whole; "fused-per-gemm" = each collective fused into its own matmul (MindSpeed's MC2, fused-tp-overlap.ts).
   */
  tpOverlapScope?: "fused-per-gemm";
  /**
   * How the all-to-all dispatcher treats expert tensor parallelism (etp > 1): absent = the routed experts' TP
   * collectives priced like a dense MLP's pair, one all-gather and one reduce-scatter of the layer's tokens, hidden
   * with the layer's other TP traffic; "routed-serial" = the hidden states go sequence- to hidden-split by an
   * all-to-all, the routed copies (top-k per token) are all-gathered along the hidden dimension after the
   * permute and reduce-scattered before the unpermute, on the compute stream with nothing beside them
   * (routed-tp-gather.ts; MindSpeed 1.0.RC3 on Megatron-Core r0.6: `alltoall_token_permutation`).
   */
  expertTpGather?: "routed-serial";
  /** Expert dispatcher when the run does not publish one. */
  moeDispatcher: MoeDispatcher;
  /** Fused permute/unpermute kernels (Transformer Engine) rather than eager gather and scatter-add. */
  fusedPermute: boolean;
  /**
   * Whether the framework's all-to-all dispatcher re-sorts the received rows by local expert after the dispatch and
   * back before the combine (local-expert-sort.ts); absent: "none".
   */
  exchangeLocalSort?: ExchangeLocalSort;
  /**
   * Expert GEMMs as the framework launches them: "per-expert" = one GEMM (and, at low precision, one
   * quantisation) per local expert, as Transformer Engine's GroupedLinear runs them over several CUDA streams
   * (multi-stream cuBLAS); "grouped" = one grouped kernel for all local experts (torch._grouped_mm, XLA ragged
   * dot, Ascend GMM).
   */
  expertGemmLaunch: Exclude<ExpertMlp, "fused">;
  /**
   * Kernels of an MoE router's forward (logits, score function, top-k, routing map, auxiliary-loss terms):
   * 72 in Megatron-Core's unfused router, 31 with --moe-router-fusion (TE PR 1883), per the DeepSeek-V3 GB200
   * write-up (Megatron-LM docs/discussions/deepseek-v3-gb200-optimization, sec. 2.1.4); 4 where the
   * framework compiles or fuses the router into a few kernels.
   */
  routerKernels: number;
  /**
   * Measured host time of one eager forward of the MoE router and the all-to-all dispatcher's preprocess on an x86
   * host, s (Megatron-Core's `#MOE_ROUTER_AND_PRE` range: router-host.ts); absent where no measurement covers the
   * framework's router (its host time is then its counted kernel launches only).
   */
  routerHostS?: number;
  /**
   * Low-precision quantisation of a GEMM input fused into the kernel that produces it (norm, activation:
   * Transformer Engine's LayerNormLinear / LayerNormMLP; compiled steps' fusions), so only inputs made by another
   * GEMM or the attention core pay a separate quantisation pass in the forward. The routed experts' inputs follow it
   * unless `groupedLinearQuantizesInputs` says the experts' grouped linear quantises them itself.
   */
  fusedQuantization: boolean;
  /**
   * The routed experts' grouped linear takes bf16 inputs and quantises them itself, expert split by expert split,
   * whatever `fusedQuantization` says of the dense layers: Megatron-Core's TEGroupedMLP hands Transformer Engine's
   * GroupedLinear the permuted tokens and the activation output in bf16, and GroupedLinear.forward runs
   * `tex.split_quantize` on them (transformer_engine/pytorch/module/grouped_linear.py; GroupedLinear accepted no
   * quantised input at the TE of the 25.11-26.02 containers: NVIDIA/TransformerEngine pull request 2099, open, and
   * pull request 1525's review). Only a dispatcher that sends the tokens quantised (`dispatchesQuantized`, moe.ts)
   * or a fused grouped MLP spares it. Absent: the expert inputs follow `fusedQuantization`.
   */
  groupedLinearQuantizesInputs?: boolean;
  /**
   * Clamp and expert biases of a clamped, biased expert GLU (`moe.gluClamp`, `moe.expertBias`): "eager" where the
   * framework's expert MLP runs them as separate PyTorch ops (Megatron-Core's TEGroupedMLP, expert-glu.ts), "fused"
   * where a compiler or fused kernel folds them into the activation and the GEMM epilogues.
   */
  expertGluOps: ExpertGluOps;
  /**
   * Query blocks of the framework's attention kernel when it is block-sparse with blocks wider than a sliding
   * window (MaxText's splash attention: configs/base.yml sa_block_q 512, sa_block_q_dkv 512): a windowed layer
   * then computes every block its band touches (sliding-window.ts). Absent: not charged (GPU kernels' 128-token
   * tiles are covered by the short-sequence rate the windowed layers already pay).
   */
  attentionBlock?: { forward: number; backward: number };
  /** FSDP/ZeRO-3 frees gathered parameters after the forward and gathers them again for the backward. */
  reshardAfterForward: boolean;
  /** FP8 scaling when the run says only "fp8". */
  fp8Recipe: PrecisionRecipe;
  /** The whole step is compiled (XLA) or captured, so kernels launch at graph-replay cost. */
  compiled: boolean;
  /**
   * The compiler that builds the step when it is XLA (JAX stacks): what XLA's own fusions cost where no kernel library
   * runs them (unfused attention on a GPU backend: unfused-attention.ts). Absent: eager or torch.compile stacks.
   */
  compiler?: "xla";
  /**
   * The language-model loss is inside the compiled step (XLA compiles the whole jitted step, loss and its gradient
   * included), so the cross-entropy over the logits runs as the compiler's fused reductions at the family's
   * `memoryOps.crossEntropyFused` rate (output-layer.ts). Absent: the eager loss at the softmax rate (torch.compile of
   * the transformer blocks, as torchtitan applies it, leaves the loss outside).
   */
  fusedCrossEntropy?: boolean;
  /**
   * Bytes per logit the framework's cross-entropy kernel moves forward and backward (output-layer.ts), where its own
   * loss kernel reads fewer than the fp32 loss's 8 forward and 16 backward (`FP32_LOSS_BYTES`); absent: those.
   */
  crossEntropyBytes?: LossBytes;
  /**
   * A non-gated MLP's activation runs in the up projection's GEMM epilogue and its gradient in the down projection's
   * input-gradient GEMM epilogue (cuBLASLt GELU / DGELU epilogues), so no activation kernel runs on its own (layer.ts
   * `mlpBlock`). Absent: one activation kernel forward and its gradient backward.
   */
  mlpActivationInGemm?: boolean;
  /**
   * Bytes of a gradient as accumulated and reduced across data-parallel ranks: 4 (fp32 main gradients) unless
   * the framework's recipes reduce in bf16 (2).
   */
  gradBytes: number;
  /**
   * The framework's optimizer as bytes per parameter of its shard: state held in device memory and traffic of one
   * update (optimizer-state.ts). Absent: Adam on fp32 master weights (`ADAM_FP32_MASTER`).
   */
  optimizer?: OptimizerBytes;
  /**
   * Gradient buckets of an overlapped data-parallel reduce when the run publishes no size (`dp-buckets.ts`): one
   * collective per bucket. Absent: the framework's reduce is taken as one stream of work that hides behind the
   * backward as a whole (no bucket edges, one latency).
   */
  dpBucket?: BucketDefault;
  /**
   * Activation recompute when the run publishes none; absent = the model's default ("selective"). A framework
   * sets it only where its documented default differs.
   */
  recompute?: "none" | "selective" | "full";
  /**
   * What the framework's default remat policy reruns, in Megatron-Core's module names (recompute-modules.ts), when the
   * run publishes no recompute at all (neither `recompute` nor `recomputeModules`); it then resolves to "selective"
   * with this list. Absent: the list of `recompute` alone.
   */
  recomputeModules?: readonly RecomputeModule[];
  /**
   * The XLA backends on which the framework's launcher turns on XLA's latency-hiding scheduler
   * (xla-collective-schedule.ts): on any other backend XLA's default holds (GPU: off), and ZeRO-3/FSDP gathers and
   * reduce-scatters run in the critical path. Absent: collectives overlap as the run's `overlap` says.
   */
  latencyHidingBackends?: readonly XlaBackend[];
  /**
   * Recompute goes through JAX's jax.checkpoint and XLA, which rerun only the forward ops whose results the
   * backward reads (remat.ts); absent: the checkpointed function reruns whole (torch.utils.checkpoint, Megatron).
   */
  rematDce?: boolean;
  /**
   * The step is scheduled by a compiler under the chip's memory limit (XLA's latency-hiding scheduler), so a
   * ZeRO-3/FSDP parameter gather is issued ahead of its layer, and a gradient reduce-scatter left running behind the
   * next layer, only where memory holds its buffer; where it does not, the collective waits in the critical path
   * (fsdp.ts, `prefetchShare`, `prefetchLimited`). Absent: overlap is assumed whatever memory says (eager frameworks
   * allocate the buffers or fail).
   */
  memoryLimitedPrefetch?: boolean;
  /**
   * Parameters live only in fp32 and each layer casts its (gathered) weights to the compute type where it uses them
   * (MaxText: `weight_dtype: float32` in configs/base.yml, layers built with `dtype` bf16 and `weight_dtype` fp32), so
   * under ZeRO-3/FSDP no bf16 copy of the shard stays resident: only the gathered layers are bf16 (memory.ts).
   * Absent: a resident compute-precision copy beside the fp32 master (Megatron's distributed optimizer, FSDP2
   * mixed precision).
   */
  castPerUse?: boolean;
  /**
   * PyTorch-native model code (torchtitan): norms and rotary written as PyTorch op chains (one kernel per op
   * unless the blocks are compiled: `torch-native.ts`), GQA key/value heads repeated to the query heads before
   * attention, and selective recompute that reruns this share of the forward GEMMs (op-level checkpointing).
   * With context parallel, PyTorch's ring attention merges partial outputs and accumulates gradients in fp32 op by
   * op (`eagerRingMerge`). Absent: fused norm and rotary kernels, grouped heads kept, selective recompute reruns no
   * GEMM, ring merges inside the attention kernels.
   */
  native?: {
    eagerElementwise: boolean;
    repeatKv: boolean;
    selectiveGemmShare: number;
    eagerRingMerge: boolean;
  };
  /**
   * Context parallelism through Transformer Engine's ring attention (Megatron-Core's default p2p CP), whose merges and
   * gradient accumulations run as their own bf16 kernels between the ring steps (`te-ring-merge.ts`). Absent: merges
   * inside the attention kernels, or the framework's own (`native.eagerRingMerge`).
   */
  teRingMerge?: boolean;
  /**
   * How the framework's ring attention sends the key/value gradients back in the backward (`ring-grad-rotation.ts`):
   * their width on the wire, sends beyond cp - 1, and sends left exposed. Absent: `BF16_RING_GRADIENTS` (bf16, one
   * per ring step, all hidden behind the attention backward).
   */
  cpGradRotation?: CpGradRotation;
  /**
   * Sequence-parallel all-gathers of low-precision runs move the quantised tensor, as Transformer Engine's linear
   * modules gather it (`quantized-gather.ts`). Absent: gathered in bf16.
   */
  quantizedTpGather?: boolean;
  /**
   * Megatron-Core's DDP and optimizer (the distributed optimizer or Float16OptimizerWithFloat16Params) below ZeRO-3:
   * every step zeroes the contiguous gradient buffers, casts the optimizer's gradient shard to fp32 main gradients and
   * reads it for the grad norm, whose all-reduce spans the grad-stats group (`step-passes.ts`). Absent: the
   * framework's gradients are freed or set to None between steps and its norm is not modelled.
   */
  gradBufferPasses?: boolean;
  /**
   * ZeRO-3 through PyTorch FSDP2 (`fully_shard`): per-parameter sharding whose collectives go through flat buffers, so
   * every all-gather casts and copies the shard in and copies the gathered parameters out, and every reduce-scatter
   * copies (and casts to the reduce dtype) the gradients in, on or waited for by the compute stream
   * (`fsdp2-copies.ts`). Absent: collectives straight on the parameters' and gradients' own buffers.
   */
  fsdp2Copies?: boolean;
  /** Pipeline defaults when a run leaves them out (`torch-native.ts`, `pipelineDefaults`); absent: the model's. */
  pipeline?: {
    microBatchesPerStep: "pipeline-degree";
    interleavedStagesPerRank: number;
    reshardAfterForward: boolean;
  };
  source: string;
}

const MEGATRON_SOURCE =
  "Megatron-LM arguments (megatron/training/arguments.py): --overlap-grad-reduce, --overlap-param-gather, --tp-comm-overlap off by default; --bf16 sets accumulate_allreduce_grads_in_fp32 (fp32 gradients); --moe-token-dispatcher-type allgather by default, alltoall in the MoE examples; --fp8-recipe delayed; Transformer Engine layers with cuDNN fused attention";

/**
 * What every JAX stack compiled whole by XLA shares (MaxText, Pax/Praxis, Levanter): the step is one compiled
 * program, so collectives run asynchronously beside the layers' compute, element-wise chains and the loss are fused,
 * unused reruns are dead-code-eliminated under remat, and FSDP is a sharding annotation (weights resharded after the
 * forward, gathers bounded by memory). Gradients in fp32; FP8 through delayed-scaling dot-generals. Each profile
 * spreads this and states what is its own.
 */
const XLA_COMPILED_STEP = {
  attention: "fused",
  overlap: { tpComm: true, dpComm: true },
  moeDispatcher: "alltoall",
  fusedPermute: true,
  expertGemmLaunch: "grouped",
  routerKernels: 4,
  fusedQuantization: true,
  expertGluOps: "fused",
  reshardAfterForward: true,
  fp8Recipe: "fp8-delayed",
  compiled: true,
  compiler: "xla",
  fusedCrossEntropy: true,
  gradBytes: 4,
  rematDce: true,
  memoryLimitedPrefetch: true,
} as const satisfies Partial<FrameworkProfile>;

/**
 * What the eager (uncompiled) PyTorch stacks besides Megatron-Core and NeMo share by default (DeepSpeed and
 * Megatron-DeepSpeed, torchtitan, MindSpeed, LLM Foundry, Fast-LLM, and the profile of a run that names none): the
 * step runs op by op (not compiled), MoE tokens exchanged by all-to-all into grouped expert GEMMs with a few router
 * kernels and a fused GLU, permutation and quantisation as separate kernels, weights resharded after the forward
 * under FSDP, FP8 through delayed scaling, gradients in fp32. Each profile spreads this and states what is its own
 * (attention, overlap, any fused permute or quantisation, its own FP8 recipe or gradient width).
 */
const EAGER_STEP = {
  moeDispatcher: "alltoall",
  fusedPermute: false,
  expertGemmLaunch: "grouped",
  routerKernels: 4,
  fusedQuantization: false,
  expertGluOps: "fused",
  reshardAfterForward: true,
  fp8Recipe: "fp8-delayed",
  compiled: false,
  gradBytes: 4,
} as const satisfies Partial<FrameworkProfile>;

const FRAMEWORKS: Readonly<Record<FrameworkId, FrameworkProfile>> = {
  "megatron-lm": {
    id: "megatron-lm",
    name: "Megatron-LM (Megatron-Core)",
    attention: "fused",
    overlap: { tpComm: false, dpComm: false },
    moeDispatcher: "alltoall",
    fusedPermute: true,
    // Megatron-Core MoEAlltoAllTokenDispatcher: sort_chunks_by_idxs when num_local_experts > 1 (local-expert-sort.ts).
    exchangeLocalSort: "multi-expert",
    expertGemmLaunch: "per-expert",
    routerKernels: 72,
    routerHostS: ROUTER_PREPROCESS_HOST_S,
    fusedQuantization: true,
    groupedLinearQuantizesInputs: true,
    expertGluOps: "eager",
    reshardAfterForward: true,
    fp8Recipe: "fp8-delayed",
    compiled: false,
    teRingMerge: true,
    quantizedTpGather: true,
    gradBytes: 4,
    gradBufferPasses: true,
    dpBucket: MEGATRON_BUCKET_DEFAULT,
    source: MEGATRON_SOURCE,
  },
  nemo: {
    id: "nemo",
    name: "NVIDIA NeMo / Megatron-Bridge",
    attention: "fused",
    overlap: { tpComm: true, dpComm: true },
    moeDispatcher: "hybridep",
    fusedPermute: true,
    // Megatron-Core's dispatcher, as Megatron-LM.
    exchangeLocalSort: "multi-expert",
    expertGemmLaunch: "per-expert",
    routerKernels: 31,
    routerHostS: ROUTER_PREPROCESS_HOST_S,
    fusedQuantization: true,
    groupedLinearQuantizesInputs: true,
    expertGluOps: "eager",
    reshardAfterForward: true,
    fp8Recipe: "fp8-tensorwise",
    compiled: false,
    teRingMerge: true,
    quantizedTpGather: true,
    gradBytes: 2,
    gradBufferPasses: true,
    dpBucket: MEGATRON_BUCKET_DEFAULT,
    source:
      "NeMo 2 / Megatron-Bridge performance recipes (scripts/performance): CommOverlapConfig turns on tp_comm_overlap for the Llama recipes and overlap_grad_reduce / overlap_param_gather with the distributed optimizer; the MoE workload configs (configs/deepseek, qwen3, gpt_oss) use the flex dispatcher with moe_flex_dispatcher_backend hybridep on every GPU, moe_permute_fusion true; the performance tables' FP8 is per-tensor current scaling (FP8-CS in the 25.11 table); performance mode sets plugins.grad_reduce_in_fp32 = False (bf16 gradient buffers and reduction: nemo/collections/llm/recipes/nemotron4_340b.py, llama3_70b.py, pretrain_performance_optimizations)",
  },
  "megatron-deepspeed": {
    ...EAGER_STEP,
    id: "megatron-deepspeed",
    name: "Megatron-DeepSpeed",
    attention: "fused",
    overlap: { tpComm: false, dpComm: false },
    // Megatron-DeepSpeed's megatron/arguments.py: --recompute-activations is store_true and --recompute-granularity
    // defaults to None, so a run that names no recompute flag keeps every activation (see docs/training.md,
    // "DeepSpeed runs as FlagPerf launched them").
    recompute: "none",
    source:
      "DeepSpeed pipeline engine: gradients reduced after the pipeline flush (deepspeed/runtime/pipe/engine.py); Megatron-DeepSpeed megatron/arguments.py: no activation recompute unless --recompute-activations / --recompute-granularity",
  },
  deepspeed: {
    ...EAGER_STEP,
    id: "deepspeed",
    name: "DeepSpeed",
    // The Hugging Face model code it trains calls FlashAttention-2: LlamaFlashAttention2 (transformers 4.34,
    // models/llama/modeling_llama.py, chosen by `config._flash_attn_2_enabled`, which FlagPerf's llama_model.py sets
    // from its config's `flashattn = True`) calls flash_attn's `flash_attn_func`; ChatGLM3's CoreAttention
    // (modeling_chatglm.py shipped with FlagPerf's benchmark) calls torch.nn.functional.scaled_dot_product_attention
    // with is_causal on PyTorch >= 2 (NGC pytorch:23.09, FlagPerf's training/nvidia/docker_image/deepspeed), whose
    // flash backend is FlashAttention-2. A model whose code runs eager attention (Baichuan2-13B's ALiBi path) says so
    // with `attentionBackend: "unfused"`.
    attention: "sdpa",
    overlap: { tpComm: false, dpComm: false },
    // ZeRO with bf16 keeps and reduces bf16 gradients: DeepSpeedEngine.get_data_types (deepspeed/runtime/engine.py,
    // v0.11.1, FlagPerf's deepspeed==0.11.1) takes the gradient-accumulation dtype to be the model's (bf16) whenever
    // ZeRO is on, so `_do_optimizer_sanity_check` picks the ZeRO optimizer (not BF16_Optimizer's fp32 accumulation,
    // which only ZeRO 0 gets), and `communication_data_type` defaults to bf16 with bf16 enabled; stage3.py's
    // reduce-scatter and stage_1_and_2.py's reduce move that dtype.
    gradBytes: 2,
    // DeepSpeed trains the model it is handed; its runs without Megatron wrap Hugging Face transformers modeling
    // code (LlamaForCausalLM and the trust_remote_code ChatGLM3 / Baichuan2 models in FlagPerf's DeepSpeed
    // benchmarks): RMSNorm as the eager op chain `x.to(float32)`, `pow(2).mean(-1)`, `x * rsqrt(var + eps)`,
    // `weight * x.to(input_dtype)` (transformers/models/llama/modeling_llama.py, LlamaRMSNorm), rotary as
    // `q * cos + rotate_half(q) * sin`, GQA/MQA key and value heads expanded to the query heads before attention
    // (`repeat_kv`; ChatGLM3's multi-query `expand`); gradient checkpointing is off unless the script calls
    // `gradient_checkpointing_enable()` (PreTrainedModel), and DeepSpeed's own activation_checkpointing block acts
    // only on models that call deepspeed.checkpointing. No op-level selective policy, no ring attention.
    native: { eagerElementwise: true, repeatKv: true, selectiveGemmShare: 0, eagerRingMerge: false },
    recompute: "none",
    source:
      "DeepSpeed ZeRO documentation (overlap_comm for ZeRO-3 prefetch; reduce after the flush with pipelines); DeepSpeed v0.11.1 engine.py get_data_types / communication_data_type (bf16 gradients and reduction under ZeRO); Hugging Face transformers modeling code (FlashAttention-2 or SDPA attention, eager RMSNorm and rotary, repeat_kv; gradient checkpointing off by default)",
  },
  torchtitan: {
    ...EAGER_STEP,
    id: "torchtitan",
    name: "torchtitan (PyTorch FSDP2)",
    attention: "sdpa",
    overlap: { tpComm: false, dpComm: true },
    // ExpertParallel._token_dispatch / _token_combine: _permute and _unpermute around the all-to-all.
    exchangeLocalSort: "always",
    fp8Recipe: "fp8-tensorwise",
    // torchtitan at 9dec370 (the commit of its H100 performance tables): models/norms.py, models/llama/model.py,
    // parallelisms/parallelize_llama.py, parallelisms/pipelining_utils.py; see torch-native.ts.
    native: {
      eagerElementwise: true,
      repeatKv: true,
      selectiveGemmShare: OP_SELECTIVE_GEMM_SHARE,
      eagerRingMerge: true,
    },
    // torch/distributed/fsdp/_fully_shard/_fsdp_collectives.py: copy-in, split_with_sizes_copy, _chunk_cat (fsdp2-copies.ts).
    fsdp2Copies: true,
    // torch/distributed/tensor/experimental _templated_ring_attention_backward: fp32 dK/dV, cp sends, the last waited.
    cpGradRotation: TORCH_RING_GRADIENTS,
    pipeline: {
      microBatchesPerStep: "pipeline-degree",
      interleavedStagesPerRank: 2,
      reshardAfterForward: false,
    },
    source:
      "torchtitan: SDPA attention (on H100 PyTorch dispatches FlashAttention-2 first: pytorch/torchtitan issue 1042, cuDNN only on B200: pull request 1209); FSDP2 fully_shard with reshard_after_forward true without pipelining; Float8 tensorwise by default (torchao)",
  },
  maxtext: {
    ...XLA_COMPILED_STEP,
    id: "maxtext",
    name: "MaxText (JAX/XLA)",
    attentionBlock: { forward: 512, backward: 512 },
    // MaxText's configs/base.yml sets remat_policy 'full'; its recipes' "custom" policies that offload q/k/v
    // (and out) projections to host memory rerun everything else (attention, MLP), and Google measured such an
    // offload policy (qkv_proj_offloaded, Llama2-13B, TPU v5p) only ~5% faster than 'full' (Google Open Source
    // Blog, "Leveraging CPU memory for faster, cost-efficient TPU LLM training", 2026-04-10).
    recompute: "full",
    castPerUse: true,
    source:
      "MaxText: XLA compiles the step with asynchronous collectives overlapped; Pallas flash attention; FSDP by sharding annotations; remat_policy 'full' by default (configs/base.yml)",
  },
  pax: {
    ...XLA_COMPILED_STEP,
    id: "pax",
    name: "Pax / Praxis (JAX/XLA)",
    source: "Pax/Praxis on XLA: compiled step, asynchronous collectives",
  },
  mindspeed: {
    ...EAGER_STEP,
    id: "mindspeed",
    name: "MindSpeed-LLM (Ascend)",
    attention: "fused",
    overlap: { tpComm: true, dpComm: true },
    // --use-mc2 (MindSpeed ascend_turbo/mc2_linears_seq_parallel.py): all-gather / reduce-scatter fused per matmul.
    tpOverlapScope: "fused-per-gemm",
    // MindSpeed 1.0.RC3_core_r0.6.0 mindspeed/core/transformer/moe/token_dispatcher.py `alltoall_token_permutation`
    // (patched in for --moe-permutation-async-comm): all_to_all_sp2hp, permute, all_gather_last_dim (with
    // --moe-grouped-gemm); the r0.6 unpermutation mirrors it (reduce_scatter_last_dim, all_to_all_hp2sp).
    expertTpGather: "routed-serial",
    fusedPermute: true,
    fusedQuantization: true,
    gradBufferPasses: true,
    source:
      "MindSpeed-LLM example scripts: --use-fused-rmsnorm, --use-flash-attn, MC2 (fused matmul + TP collective), --overlap-grad-reduce / --overlap-param-gather with the distributed optimizer",
  },
  "llm-foundry": {
    ...EAGER_STEP,
    id: "llm-foundry",
    name: "MosaicML Composer / LLM Foundry",
    attention: "flash-v1",
    overlap: { tpComm: false, dpComm: true },
    source:
      "LLM Foundry at 061f2c7 (the commit of its MPT benchmark tables): scripts/train/benchmarking/submit_benchmarks.py sets model.attn_config.attn_impl from --attn_impl, default 'triton' (llmfoundry/models/layers/flash_attn_triton.py, Tri Dao's Triton FlashAttention of the v1 era); Composer's FSDP (FULL_SHARD frees parameters after the forward; mixed precision DEFAULT reduces gradients in fp32); Transformer Engine only for amp_fp8 (delayed scaling)",
  },
  levanter: {
    // Levanter's source, for each trait it shares with the other XLA stacks: one jitted step (trainer.py
    // `_jit_train_step_fn` = haliax named_jit of `_train_step`), XLA scheduling the FSDP gathers and reduce-scatters
    // as asynchronous collectives beside the layers' compute; FSDP by sharding annotation (TrainerConfig fsdp_axis
    // "embed" over the data axis: the scanned layer's weights are gathered inside the scan body, so a rematerialised
    // layer gathers them again); fp8 through Flax's Fp8DotGeneralOp with amax histories (levanter/quantization.py,
    // delayed scaling); the loss inside the jitted step (levanter/models/loss.py `maybe_fused_next_token_loss`: fp32
    // logits, haliax's logsumexp and one-hot dot); parameters kept in fp32 (Marin's `mp = p=f32,c=bfloat16`), the
    // model cast to bf16 inside the differentiated loss, so gradients come back to fp32 parameters and are reduced as
    // fp32 (as MaxText).
    ...XLA_COMPILED_STEP,
    id: "levanter",
    name: "Levanter (JAX/XLA, Haliax)",
    // TPU: Pallas splash attention (levanter/layers/attention.py `default_attention_type` -> SPLASH, `_tpu_splash_attention`
    // with `block_size or 512`, "MaxText uses a block size of 512"); NVIDIA GPU: Transformer Engine's fused attention
    // (NVTE; without TE installed it falls back to Levanter's pure-JAX flash attention, flash_attention.py BLOCK_SIZE
    // 1024, not modelled as a separate class).
    attentionBlock: { forward: 512, backward: 512 },
    // LlamaConfig.gradient_checkpointing defaults to True with scan_layers True; haliax ScanCheckpointPolicy turns True
    // into `simple=True`, i.e. `eqx.filter_checkpoint(block)` with JAX's default policy: nothing inside a block saved,
    // the block input kept (haliax/_src/scan.py, from_bool_or_str); XLA dead-code-eliminates the rerun (remat.ts).
    recompute: "full",
    source:
      "Levanter at 060d560c (stanford-crfm/levanter, 2025-06-26, the Marin speedruns' era): trainer.py (whole step under named_jit, fsdp_axis 'embed', tensor_parallel_axes None, model_axis_size 1, per_device_parallelism -1, step duration timed from the jitted call to loss.item()), layers/attention.py (splash on TPU with 512 blocks, Transformer Engine fused attention on GPU), models/llama.py (gradient_checkpointing True, scan_layers True), haliax ScanCheckpointPolicy (True = eqx.filter_checkpoint, nothing saved inside a block)",
  },
  "fast-llm": {
    ...EAGER_STEP,
    id: "fast-llm",
    name: "ServiceNow Fast-LLM (PyTorch + Triton)",
    // FlashAttention-2: setup.cfg pins flash-attn==2.6.3 (ServiceNow/Fast-LLM at ac1447d9, f13ec062, 7ba5a991) and
    // layers/transformer/attention.py calls flash_attn's kernels when `use_flash_attention` (default True) and the
    // training dtype is bf16/fp16: the `sdpa` class (FlashAttention-2 on A100 and H100).
    attention: "sdpa",
    // engine/schedule/config.py: `data_overlap` default True runs the data-parallel reduce (and ZeRO-3 restores) on
    // a data stream beside the compute stream, stage by stage (one layer per stage: `layers_per_stage` 1.0);
    // no tensor-parallel overlap.
    overlap: { tpComm: false, dpComm: true },
    fusedPermute: true,
    // multi_stage/config.py `compile_all` default False: layers run eagerly, with Triton kernels
    // (functional/triton/normalization.py, rotary.py with `triton_rotary` default True, mlp.py's fused gated
    // activation), i.e. fused norms and rotary as the profile default (no `native`).
    compiled: false,
    // The loss runs as one forward-and-backward call (layers/language_model/head.py
    // `_logits_cross_entropy_forward_backward` -> functional/cross_entropy.py `cross_entropy_forward_backward`):
    // `cross_entropy_impl` auto picks the single Triton kernel (functional/triton/cross_entropy.py: bf16 logits read
    // once, loss and bf16 gradient written in the same kernel) without tensor-parallel embeddings, and "fused"
    // (`@torch.compile` of the forward and backward together) is the one configured for 128K vocabularies: the
    // compiler-fused rate (output-layer.ts), not the eager softmax rate.
    fusedCrossEntropy: true,
    // StageConfig.full_precision_gradients default True: gradients reduced and accumulated in fp32.
    gradBytes: 4,
    // transformer/config.py `mlp_recompute_level` default "none", no other recompute option.
    recompute: "none",
    source:
      "ServiceNow Fast-LLM at f13ec062 (2024-12-04; the quick-start tables) and ac1447d9 (2024-10-21; the README's Mistral figure): flash-attn==2.6.3 (setup.cfg); Triton kernels for RMSNorm/LayerNorm, rotary, the gated MLP activation and the cross-entropy (fast_llm/functional/triton/*); cross_entropy_impl auto = Triton, fused = torch.compile of forward+backward; compile_all False; data_overlap True (DP reduce on its own stream); full_precision_gradients True; ZeRO stages 1-3 through multi_stage.zero_stage (optimizer state always sharded); mlp_recompute_level none",
  },
  axlearn: {
    // Apple AXLearn at the commits of its published step times (apple/axlearn 4dae7198 of 2024-05-06 to dd2e4492 of
    // 2024-09-19): SpmdTrainer jits the whole train step (loss and its gradient included), GSPMD shards by the mesh
    // axes (FSDP = parameters sharded over `fsdp`, gathered where a layer uses them), the transformer stack is a
    // RepeatedTransformerLayer (jax.lax.scan) under jax.checkpoint.
    ...XLA_COMPILED_STEP,
    id: "axlearn",
    name: "Apple AXLearn, May-September 2024 (JAX/XLA, GSPMD)",
    // The framework's fused kernel is its FlashAttention layer (the "-flash" configs): on TPU
    // flash_attention/tpu_attention.py around JAX's first Pallas kernel (jax.experimental.pallas.ops.tpu.flash_attention;
    // splash only from a5f0b462, 2024-10-02), the TPU family's `flashV1` curve from AXLearn's own TPU v4 benchmark
    // (catalog/families/tpu.ts `TPU_PALLAS_FLASH_V1`), and on
    // GPU, from the profile's first commit to dd2e4492 (2024-09-19, which switched the GPU path to cuDNN's fused attention),
    // flash_attention/gpu_attention.py, "adapted from" HazyResearch flash_attn_triton.py: a FlashAttention-1-class kernel,
    // as fast as flash_attn_triton.py itself in AXLearn's own A100 benchmark (2.95 vs 3.00 ms forward + backward at batch
    // 2, 32 heads, 2,048 tokens; data/kernels/axlearn-gpu-attention-a100.json). The configs without "-flash" run the
    // layer's plain attention (XLA ops: a run says `attentionBackend: "unfused"`, priced at XLA's GPU bytes,
    // unfused-attention.ts).
    attention: "flash-v1",
    // Remat: experiments/text/gpt/common.py `update_model_remat_config` sets every plain-attention layer's remat_spec
    // to attention.py `build_remat_spec(stack_cfg)`: self_attention True, feed_forward False, i.e. jax's
    // save_only_these_names of the attention's q_proj, k_proj, v_proj, context and o_proj; everything else in the layer
    // is rerun in the backward (both norms, the attention probabilities, the MLP's projections and activation), the
    // MLP down projection dropped by XLA (remat.ts). In module names: core_attn, layernorm, mlp.
    recomputeModules: ["core_attn", "layernorm", "mlp"],
    // axlearn/common/launch.py (every AXLearn trainer imports it first) sets LIBTPU_INIT_ARGS
    // `--xla_tpu_enable_latency_hiding_scheduler=true` and no XLA GPU flag; the only XLA_FLAGS in the repository at
    // those commits are GCP GKE A3 (TCPX) jobs' (axlearn/cloud/gcp/job.py, from eab99dfe of 2024-06-28), not AWS p5.
    latencyHidingBackends: ["tpu"],
    // trainer.py `_train_step` casts the whole fp32 parameter tree to train_dtype (bf16) at the top of the forward
    // (`train_cast(model_params)`), outside the layer scan, so inside the scanned backward each layer's weight gradient
    // is the bf16 output of its dot and GSPMD reduces it there (reduce-scatter over fsdp, all-reduce over data) before
    // the cast's transpose converts the stacked result to fp32 after the loop: the wire carries bf16.
    gradBytes: 2,
    source:
      "Apple AXLearn (github.com/apple/axlearn at 4dae7198, 2a44f58f, fea9ba89, d101ad61, dd2e4492; 2024): the jitted SpmdTrainer step, GSPMD mesh axes (data, fsdp), RepeatedTransformerLayer under build_remat_spec (attention projections and context saved, the rest rerun), axlearn/common/launch.py's TPU latency-hiding flag (none for GPU)",
  },
  "flash-attn": {
    // The FlashAttention repository's own GPT training stack at 4a6eaa9f (Dao-AILab/flash-attention, 2022-11-29,
    // "Update configs, add results": the commit of training/README.md's 'Training speed' table): flash_attn.models.gpt
    // with the flags of training/configs/experiment/pile/gpt3*-flash.yaml, trained by PyTorch Lightning in eager mode.
    ...EAGER_STEP,
    id: "flash-attn",
    name: "FlashAttention repository GPT training (flash_attn v0.2, PyTorch Lightning), November 2022",
    // `use_flash_attn: True`: flash_attn.modules.mha calls FlashAttention v1's CUDA kernels (csrc/flash_attn, head dims
    // dispatched to 32-, 64- and 128-wide kernels in fmha_api.cpp): the `flash-v1` class.
    attention: "flash-v1",
    // Lightning's DDP (`strategy: null` with 8 devices; src.utils.ddp_zero1.DDPStrategyZero1 subclasses DDPStrategy for
    // the 760M-2.7B configs): torch DistributedDataParallel all-reduces gradient buckets during the backward. No TP.
    overlap: { tpComm: false, dpComm: true },
    // torch.nn.parallel.DistributedDataParallel `bucket_cap_mb` default 25 (MiB), of fp32 gradients (the parameters
    // stay fp32 under Lightning's `precision: bf16` autocast): 6,553,600 parameters per bucket at any data-parallel size.
    dpBucket: { minParams: (25 * 2 ** 20) / 4, paramsPerDpRank: 0 },
    // `train.loss_fn` = src.losses.cross_entropy_apex.CrossEntropyLossApex with `inplace_backward: True`
    // (configs/experiment/pile/base.yaml): csrc/xentropy/xentropy_kernel.cu, one forward kernel per row that reads the
    // bf16 logits and writes a loss and a log-sum-exp per row, one backward kernel that reads the bf16 logits and writes
    // the bf16 gradient over them. A hand-fused row reduction: the family's fused cross-entropy rate.
    fusedCrossEntropy: true,
    crossEntropyBytes: { forwardPerLogit: 2, backwardPerLogit: 4 },
    // `fused_dense_gelu_dense: True`: flash_attn.ops.fused_dense.FusedDenseGeluDense with heuristic 0 runs
    // fused_dense_cuda.linear_gelu_forward (GELU in the first GEMM's epilogue) and linear_gelu_linear_backward (DGELU
    // in the epilogue of the second GEMM's input gradient).
    mlpActivationInGemm: true,
    // Parameters and gradients fp32 (autocast), reduced in fp32 by DDP.
    gradBytes: 4,
    // "we don't need any activation checkpointing" (training/README.md); mlp_checkpoint_lvl 0 in every pile config.
    recompute: "none",
    source:
      "Dao-AILab/flash-attention at 4a6eaa9f (2022-11-29): training/configs/experiment/pile/base.yaml (Lightning DDP, precision bf16, CrossEntropyLossApex inplace_backward, adamw-apex), gpt3*-flash.yaml (use_flash_attn, fused_dense_gelu_dense, fused_bias_fc, fused_dropout_add_ln), csrc/flash_attn/fmha_api.cpp (head-dim kernels 32/64/128), csrc/xentropy/xentropy_kernel.cu, flash_attn/ops/fused_dense.py (GELU/DGELU GEMM epilogues); torch DDP bucket_cap_mb 25",
  },
  torchprime: {
    // Google's PyTorch/XLA reference trainer (AI-Hypercomputer/torchprime, torchprime/torch_xla_models, as its E2E
    // workflow ran it at 029ef4cc, May-June 2025). torch_xla traces the step lazily and XLA compiles it whole (forward,
    // backward, loss and the Adafactor update up to `torch_xla.sync()`); `xr.use_spmd()` with the mesh axes
    // (data, fsdp, tensor, expert) and `xs.mark_sharding` annotations of every weight (configs/model/sharding/
    // llama-fsdp.yaml: q/k/v/o, MLP and embedding weights split over `fsdp`) is FSDP by GSPMD, as in the JAX stacks,
    // on the same TPU compiler (its latency-hiding scheduler, bounded by memory).
    ...XLA_COMPILED_STEP,
    id: "torchprime",
    name: "torchprime on PyTorch/XLA (SPMD), 2025",
    // configs/model/llama-3-8b.yaml `attention_kernel: flash_attention` ("choose attention_kernel from:
    // [flash_attention, splash_attention, null]"); torch_xla_models/attention.py runs it through
    // torch_xla.experimental.custom_kernel.flash_attention, whose FlashAttention.forward/backward trace JAX's first
    // Pallas TPU kernel (jax.experimental.pallas.ops.tpu.flash_attention `_flash_attention_impl`,
    // `_flash_attention_bwd_dq`, `_flash_attention_bwd_dkv`; pytorch/xla custom_kernel.py as stored at 5b347573):
    // the TPU family's `flashV1` class (AXLearn's kernel before splash). A run that names
    // `model.attention_kernel=splash_attention` says `attentionBackend: "splash"`.
    attention: "flash-v1",
    // Remat is a preset of decoder-layer classes (configs/default.yaml `model.remat.activation_checkpoint_layers`,
    // pulled in by the model file's `remat: llama` / `remat: mixtral`; the stored presets of the same directory,
    // remat/deepseek.yaml and remat/qwen.yaml, list the model's decoder layer). The trainer wraps every module of a
    // listed class in torch_xla's `checkpoint_module` (or, under scan, partitions the layer with
    // `remat_all_partition_fn`, which "will rematerialize (recompute) all intermediate activations"; offloading.py),
    // so a layer is either rerun whole or not at all; "Host offloading requires checkpointing exactly one layer".
    // Not checkpointing cannot fit: Llama 3 8B at 2 x 8,192 tokens per v6e chip keeps about 200 KB per token and
    // layer (100 GB over 32 layers) against 32 GB of HBM. Full recompute; XLA drops the reruns the backward does not
    // read (the step is one XLA graph).
    recompute: "full",
    // train.py builds the model under `set_default_dtype(torch.bfloat16)` ("Set the model dtype to bfloat16"): the
    // parameters exist only in bf16, so autograd's gradients are bf16 and GSPMD reduce-scatters them as bf16; the
    // optimizer is transformers' Adafactor(relative_step=False, scale_parameter=False) on them (optimizer-state.ts).
    gradBytes: 2,
    optimizer: ADAFACTOR_BF16_PARAMS,
    source:
      "AI-Hypercomputer/torchprime at 029ef4cc (E2E workflow) with its stored torch_xla_models configs and trainer: XLA-compiled SPMD step (xr.use_spmd, mark_sharding FSDP over the fsdp axis), attention_kernel flash_attention by default (torch_xla custom_kernel.flash_attention = JAX's first Pallas TPU flash kernel) or splash_attention, decoder-layer activation checkpointing (checkpoint_module; remat_all_partition_fn under scan, offloading.remat_all_and_offload_these_inputs with host offload), Adafactor on bf16 parameters (train.py set_default_dtype(torch.bfloat16))",
  },
  torchax: {
    // torchprime's torchax models (torchprime/experimental/torchax_models at 029bc7f3, README 'Benchmarks (WIP)'):
    // PyTorch model code (Meta's Llama 3 reference_impl, model_with_scan.py) run as JAX through torchax, the train
    // step jitted whole (train.py), weights sharded by NamedSharding over the (fsdp, tp) mesh (run.py
    // `sharding_map_scan`): a JAX stack compiled by XLA.
    ...XLA_COMPILED_STEP,
    id: "torchax",
    name: "torchprime torchax models (PyTorch on JAX), 2025",
    // run.py registers `splash_attn.tpu_splash_attention` in place of torch's scaled_dot_product_attention: Pallas
    // splash attention, the family's fused class.
    attention: "fused",
    // run.py `use_custom_offload` (default True, and '--use_custom_offload=True' in the README's 405B command):
    // jax.checkpoint_policies.save_and_offload_only_these_names with `names_which_can_be_saved=[]` and the decoder
    // layer input and the q/k/v/out projections offloaded to pinned host; otherwise `nothing_saveable`. Nothing is
    // kept on the device: the rest of the layer (norms, attention, MLP) is rerun, as MaxText's offload policies
    // (see `maxtext`, recompute "full").
    recompute: "full",
    // run.py `torch.set_default_dtype(torch.bfloat16)`: weights made in bf16, gradients bf16; train.py
    // `jax_optimizer = optax.sgd(lr)` (the adamw line commented out).
    gradBytes: 2,
    optimizer: SGD_BF16_PARAMS,
    source:
      "AI-Hypercomputer/torchprime torchprime/experimental/torchax_models (README at 029bc7f3, run.py as stored at 07914cc4): torchax (torch_xla2) on JAX, jitted train step, NamedSharding (fsdp, tp), splash attention registered for SDPA, save_and_offload_only_these_names (nothing saved on device; layer input and q/k/v/o projections offloaded to pinned host)",
  },
  other: {
    ...EAGER_STEP,
    id: "other",
    name: "unpublished framework",
    attention: "fused",
    overlap: { tpComm: false, dpComm: false },
    fusedPermute: true,
    fusedQuantization: true,
    source:
      "when a run does not name its framework: Megatron-style fused kernels, no TP or DP overlap below ZeRO 3 (Megatron-LM before Megatron-Core's overlap options, DeepSpeed's pipeline engine)",
  },
};

export const frameworkIds = Object.keys(FRAMEWORKS) as FrameworkId[];

/** The framework profile of `id` ("other" when the run does not name one); a ZettasimError naming `path` for an unknown id. Cost O(1). */
export function frameworkProfile(
  id: string | undefined | null,
  path: (string | number)[] = ["training", "framework"],
): FrameworkProfile {
  if (id === undefined || id === null) return FRAMEWORKS.other;
  if (!Object.hasOwn(FRAMEWORKS, id))
    throw new ZettasimError([
      { path, message: "unknown training framework", value: id, expected: frameworkIds.join(", ") },
    ]);
  return FRAMEWORKS[id as FrameworkId];
}
