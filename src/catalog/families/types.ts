// Chip families: the kernel-level profiles a family declares for the training and serving models.
// Each family answers for itself in its own module; a chip names its family in the catalog (`family`).
import type { FitRecord } from "../../core/fit.js";
import type { PowerLimitCurve } from "./power-limit.js";

/**
 * How a family's collective library crosses a direct-connect grid when a collective is latency-bound
 * (`KernelEfficiency.collectiveHops`, src/serving/collective-hops.ts): the group is laid out as the most compact grid
 * of `gridAxes` axes when its tier gives no dims, an axis of `wrapAxisFrom` chips or more has wraparound links, and a
 * message pays the tier latency once per hop of the longest path it travels.
 */
export interface CollectiveHops {
  /** Axes of the grid a group is laid out on when its tier gives no dims (TPU v5e / v6e slices: 2). */
  readonly gridAxes: number;
  /** Chips on an axis from which it has a wraparound link (TPU v5e / v6e: 16). */
  readonly wrapAxisFrom: number;
}

/**
 * How one GEMM kernel's time depends on its shape, for one chip family and precision (fitted on
 * measured GEMM grids, see the family modules):
 *   t = fixedS + max(operand bytes / stream bandwidth,
 *                    2MNK / (peak x peakFraction) x (1 + halfWorkMN / (M N)) x (1 + halfDepthK / K)).
 * `1 + W/(MN)`: an output too small to give every SM a tile leaves SMs idle (wave quantization smoothed);
 * `1 + c/K`: each tile's main loop pays a prologue and epilogue worth about c of K; `fixedS`: launch ramp
 * and tail of one kernel on the device.
 */
export interface GemmShape {
  /** Fraction of the dense peak a GEMM of unbounded size sustains. */
  peakFraction: number;
  /** Output elements M x N at which the SMs are half busy. */
  halfWorkMN: number;
  /** Depth K whose main loop costs as much as the prologue and epilogue of a tile. */
  halfDepthK: number;
  /** Device time of one kernel beyond its work, s. */
  fixedS: number;
}

/**
 * Grouped expert GEMM (one kernel for G experts of M tokens each): each expert's rows are padded to
 * tiles, as `M + tokenPad` rows of work, and the kernel runs at `fraction` of the dense GEMM of the
 * same precision.
 */
export interface GroupedGemmShape {
  /** Rows of tile padding and scheduling waste per expert (tokens). */
  tokenPad: number;
  /** Rate relative to a dense GEMM of the same total shape. */
  fraction: number;
}

/**
 * Fused causal attention (forward and backward together, FlashAttention accounting: backward = 2.5 x
 * forward) at `peakFraction x S / (S + halfSeq)` of the bf16 peak, S the sequence a kernel call sees.
 */
export interface AttentionShape {
  peakFraction: number;
  /** Sequence length at which the kernel reaches half of peakFraction. */
  halfSeq: number;
  /** Forward share of the forward + backward time. */
  forwardShare: number;
  /**
   * Q/k plus v head dims the curve was measured at, on a family whose fused attention waits on its softmax
   * exponentials (one per score, whatever the head dim): other head dims then run at the curve's rate scaled by
   * their exponential share (kernels.ts, `attentionExpFactor`). Absent: the curve holds at every head dim.
   */
  expReferenceHeadDims?: number;
  /**
   * Exponential time over MMA time per score of the fused BF16 forward at q/k plus v head dims 320, on a family
   * with `expReferenceHeadDims`; absent: Blackwell's (kernels.ts, ATTN_EXP_PER_MMA_BF16_D320).
   */
  expPerMmaD320?: number;
  /**
   * Kernels built for fixed head-dim widths, ascending, each with its own curve, where the kernel library dispatches by
   * head dim (FlashAttention v1: 32, 64, 128): a run's head dim runs on the narrowest kernel that holds it, padded to its
   * width (flash-v1.ts, `headDimKernelShape`). Absent: the shape's own curve at every head dim.
   */
  headDimKernels?: readonly HeadDimKernel[];
}

/** One fixed-width kernel of an attention kernel family: the widest q/k head dim it takes and its curve at that width. */
export interface HeadDimKernel {
  width: number;
  peakFraction: number;
  halfSeq: number;
}

/** Matmul precisions the training model distinguishes. */
export type MatmulPrecision = "bf16" | "fp8" | "fp4";

/**
 * Fractions of HBM bandwidth that memory-bound training kernels reach (one kernel each, bytes = every input
 * read once and every output written once).
 */
export interface MemoryOpFractions {
  /** RMSNorm / LayerNorm forward. */
  norm: number;
  /** Gated activation (SiLU x up) and other elementwise work with two inputs. */
  activation: number;
  /** bf16 -> fp8/fp4 quantisation. */
  cast: number;
  /** MoE permute (gather of token rows to expert order). */
  permute: number;
  /** MoE unpermute as an unfused scatter-add (index_add); fused combine kernels run at `permute`. */
  unpermute: number;
  /** Row softmax (router, unfused attention scores); also the language-model loss unless `crossEntropyFused` applies. */
  softmax: number;
  /**
   * The language-model cross-entropy forward and backward over the logits as a compiler fuses it into a few reduction
   * kernels (the whole step under XLA: `FrameworkProfile.fusedCrossEntropy`), as a fraction of HBM bandwidth for the
   * 24 bytes per logit the model charges (`output-layer.ts`). Absent: `softmax`.
   */
  crossEntropyFused?: number;
  /** Fused Adam step over fp32 master weights, gradients and moments. */
  optimizer: number;
}

/**
 * What training kernels reach on one chip family, each figure from kernel-level evidence (the family module
 * says which) and, where fitted, with its FitRecord in the module's `fits`.
 */
export interface TrainingEfficiency {
  /** GEMM time by shape, per matmul precision (see GemmShape). */
  gemm: Record<MatmulPrecision, GemmShape>;
  /** Grouped expert GEMM relative to the dense one, per precision. */
  groupedGemm: Record<MatmulPrecision, GroupedGemmShape>;
  /**
   * Causal attention forward + backward: `fused` is what Transformer Engine, MaxText and MindSpeed run
   * (cuDNN / FlashAttention-3 class, Pallas, FlashAttention on Ascend); `sdpa` what PyTorch's
   * scaled_dot_product_attention runs by its default backend priority on the family, when that differs
   * (FlashAttention-2 on Hopper); frameworks that call SDPA directly get it. `flashV1`: FlashAttention-1-class
   * kernels (v1 CUDA, its Triton port: LLM Foundry's MPT; on TPU JAX's first Pallas flash kernel, which splash
   * replaced: AXLearn before October 2024), a fused kernel at its own rate (`flash-v1.ts`, tpu.ts); absent: `fused`.
   * `fused16BitDqAtomics`: the fused kernel with its backward accumulating dQ through 16-bit atomics instead of the
   * default fp32 ones, on a family whose kernels offer both at measured rates (CDNA's aiter v3 backward; a run opts in
   * with `attentionDqAtomics: "16-bit"`, attention-dq-atomics.ts); absent: the family has no such variant.
   */
  attention: {
    fused: AttentionShape;
    sdpa?: AttentionShape;
    flashV1?: AttentionShape;
    fused16BitDqAtomics?: AttentionShape;
  };
  /**
   * The family's fused attention is Pallas splash attention (TPU: MaxText's, Levanter's and torch_xla's splash
   * kernels), so a run may name it over its framework's default kernel (`attentionBackend: "splash"`); absent: a run
   * naming splash is refused.
   */
  fusedAttentionIsSplash?: boolean;
  /**
   * Memory traffic per attention score element and head in the forward pass, bytes, for unfused attention
   * kernels (the separate scale-mask-softmax and dropout kernels of Megatron before FlashAttention, about 8);
   * 0 for fused kernels. Only the Ampere profile sets it: its published runs predate fused attention.
   */
  attentionScoreBytes: number;
  /** Fraction of HBM bandwidth a streaming copy or add reaches (the memory roofline of every kernel). */
  memory: number;
  /** Memory-bound kernels by kind, fractions of HBM bandwidth. */
  memoryOps: MemoryOpFractions;
  /**
   * Fraction of the payload link bandwidth the collective library reaches for large messages (NCCL/HCCL
   * bus bandwidth over payload rate: copy overhead, chunk pipelining, synchronisation).
   */
  collective: number;
  /**
   * Most bytes per second one channel (one CTA) of the collective library moves for a rank, as the library's own
   * cost model caps it (NCCL src/graph/tuning.cc, perChMaxTreeBws for one NVLink domain); applies only where a run
   * publishes a cap on a communicator's CTAs (`commMaxCtas`, `src/training/comm-channels.ts`). Absent: no per-channel
   * figure known for the family, no cap.
   */
  collectiveChannelBytesPerS?: number;
  /**
   * Fraction of the NVLink payload rate the collective library's all-to-all reaches when more than 8 ranks exchange
   * inside one multi-node NVLink domain (an NVL72 rack: Megatron's NCCL `alltoall` dispatcher at EP 16-64), in
   * place of `collective` (src/training/moe.ts, `dispatchEfficiency`). Absent: `collective` applies (no such
   * measurement for the family, or no such domain).
   */
  allToAllWideNvlink?: number;
  /**
   * Share of communication hidden behind compute that still lengthens the step: the communication kernels
   * hold SMs and HBM bandwidth while the GEMMs run, and the overlap is ragged at its edges.
   */
  overlapCost: number;
  /**
   * Host time to launch one kernel, s: eager framework op dispatch, and replay from a CUDA graph; `gemmEager`
   * is the host time of one eager GEMM call (op dispatch plus the BLAS library's host path: shape checks,
   * algorithm lookup, workspace), which a CUDA graph replays at `graph` cost like any kernel.
   */
  launchS: { eager: number; graph: number; gemmEager: number };
  /**
   * Host time an eager per-expert grouped linear spends per local expert and GEMM call beyond the GEMM launch, s:
   * Transformer Engine's GroupedLinear splits its input per expert and allocates each expert's output and
   * quantised operands with separate PyTorch calls (NVIDIA/TransformerEngine issue 1499: torch.split and two
   * torch.empty per GEMM under fused_multi_cast_transpose). Absent: 0 (frameworks with one grouped kernel).
   */
  expertGemmHostS?: number;
  /** What the figures come from, in one line. */
  source: string;
}

/**
 * Weight format of the routed experts as a grouped-GEMM kernel sees it: the matmul precision, with FP8 split into
 * per-tensor (`fp8`) and DeepSeek's 128 x 128 block-scaled checkpoints (`fp8-block`), which MoE kernels run through
 * different GEMM paths (src/serving/grouped-moe.ts).
 */
export type GroupedMoeFormat = "bf16" | "fp16" | "fp8" | "fp8-block" | "int8" | "fp4";

/**
 * Which models an engine fuses the residual add and RMSNorm after each tensor-parallel all-reduce into the all-reduce
 * kernel for, on a family (src/serving/allreduce-norm-fusion.ts): "moe" (the engine's auto-enable list holds MoE
 * architectures only) or "all".
 */
export type AllReduceNormFusion = "moe" | "all";

/**
 * Fractions of the datasheet peak that real serving kernels reach, plus fixed overheads.
 * Each field is fitted once per chip family from published kernel benchmarks (see `source`),
 * never per validation case, and can be overridden in a scenario's `serving.efficiency`.
 */
/**
 * One all-reduce call's measured time (s) at each message size `bytes` (bf16 payload per rank, ascending), one row of
 * times per tensor-parallel group size (`secondsByGroup[tp]`, the same length as `bytes`).
 */
export interface TpAllReduceCallTable {
  bytes: readonly number[];
  secondsByGroup: Readonly<Record<number, readonly number[]>>;
  /** Where the rows come from (table, framework release, chip). */
  source: string;
}

/**
 * One measured latency of an NCCL all-reduce whose group spans `nodes` scale-up domains of `ranksPerNode` ranks each, at
 * the smallest messages (KernelEfficiency.ncclAllReduceAcrossNodes; src/serving/cross-node-allreduce.ts).
 */
export interface CrossNodeAllReducePoint {
  /** Scale-up domains (nodes) the group spans. */
  nodes: number;
  /** Ranks of the group in each node. */
  ranksPerNode: number;
  /** Time of one call at the smallest messages, s: the latency that replaces the custom call's fixed cost. */
  fixedS: number;
  /** Where the figure comes from (issue, release, fabric). */
  source: string;
}

/** A measured linear-call line: `fixedS + bytes / (hbmFraction x HBM bytes/s)` (KernelEfficiency.fp8LinearCall). */
export interface Fp8CallLine {
  /** The call's time beyond its weight bytes, s. */
  fixedS: number;
  /** The rate at the line's slope, as a fraction of the chip's HBM bandwidth. */
  hbmFraction: number;
}

export interface KernelEfficiency {
  /** Dense GEMM FLOP/s / peak at the matmul precision, for large (compute-bound) shapes. */
  gemm: number;
  /**
   * Dense FP8 GEMM FLOP/s / FP8 peak of per-tensor-scaled library kernels (cuBLASLt-class FP8 matmuls, one scale per
   * operand) at prefill-sized shapes, for engines whose FP8 linears run through them (`perTensorFp8Gemm`,
   * src/serving/fp8-gemm-library.ts). Absent: such engines keep `gemm`.
   */
  gemmFp8PerTensor?: number;
  /**
   * The same kernels' fraction of the FP8 peak by activation rows M, `{ rows, fraction }` ascending (decode-sized M, where
   * they run below `gemmFp8PerTensor`), for engines with `perTensorFp8Gemm` (`fp8GemmFractionAtRows`,
   * src/serving/fp8-gemm-library.ts). Absent: `gemmFp8PerTensor` at every M.
   */
  gemmFp8PerTensorByRows?: readonly { rows: number; fraction: number }[];
  /**
   * Dense FP8 GEMM FLOP/s / FP8 peak of torch._scaled_mm with row-wise scales (the kernel a torchao per-row FP8 checkpoint's
   * linears run in any engine: `quantization: "torchao-rowwise-fp8"`, src/serving/torchao-rowwise-fp8.ts). Absent: the
   * engine's own FP8 rate.
   */
  gemmFp8TorchRowwise?: number;
  /**
   * Measured end-to-end speedup of a torchao NVFP4 linear (dynamic activation quantisation and the NVFP4 GEMM) over the
   * BF16 one on square problems of side `side` (M = K = N), ascending, for torchao NVFP4 checkpoints (`quantization:
   * "torchao-nvfp4"`, src/serving/torchao-nvfp4.ts). Absent: the engine's FP4 rate.
   */
  torchaoNvfp4SpeedupByCube?: readonly { side: number; speedup: number }[];
  /** Grouped (MoE expert) GEMM FLOP/s / peak; lower than dense because of ragged per-expert shapes. */
  groupedGemm: number;
  /** Attention core FLOP/s / bf16 peak when compute-bound (prefill; MLA decode with many heads). */
  attentionCompute: number;
  /** Achieved / peak HBM bandwidth for streaming weights and KV cache. */
  memory: number;
  /** Achieved / nominal per-chip bandwidth of expert-parallel all-to-all (dispatch, combine). */
  allToAll: number;
  /** Fixed cost of one all-to-all call (dispatch or combine) beyond its bytes, s. */
  allToAllFixedS: number;
  /**
   * Fixed cost of one low-latency (decode) dispatch or combine whose expert-parallel group spans more than
   * the innermost network tier (RDMA between nodes), s: the zero-token latency of the kernel, which issues
   * per-expert sends and count signals to every peer and polls for every peer's, so that one call lasts at
   * least a network round trip plus the slowest peer. Replaces allToAllFixedS plus the tier latency for
   * such calls; when absent those apply.
   */
  allToAllScaleOutFixedS?: number;
  /**
   * Achieved / peak HBM bandwidth when a matmul streams its weights (decode-sized M): below `memory`
   * because GEMM tiles read weights in strided blocks.
   */
  weightStreaming: number;
  /**
   * Achieved / peak HBM bandwidth at which a fused-MoE call streams the weights of each further expert its tokens
   * touch at decode token counts: the slope of published fused-MoE kernel times against the touched experts'
   * weight bytes (data/kernels/fused-moe-small-batch-published.json, derivedLinearFits). Per-expert weight slices
   * are small (a few MB under tensor parallelism), so the call streams them below a dense GEMM's rate. Absent:
   * `weightStreaming`.
   */
  groupedWeightStreaming?: number;
  /**
   * Achieved / peak HBM bandwidth at which the BLAS library (not a skinny GEMV kernel) streams an FP8 per-tensor
   * linear's weights at decode-sized M, where the engine hands such linears to a skinny kernel only up to some rows
   * (`ServingEngine.fp8SkinnyMaxRows`, src/serving/skinny-gemm.ts). Absent: `weightStreaming` at every row count.
   */
  fp8BlasWeightStreaming?: number;
  /**
   * Achieved / peak HBM bandwidth at which a W8A8 int8 linear (attention projections, dense MLP, shared experts; not
   * the routed experts' grouped GEMM) streams its weights at decode-sized M, where the family's quantised matmul is
   * measured apart from its 16-bit one (Ascend's QuantBatchMatmul: data/kernels/ascend-w8a8-decode-matmul-published.json;
   * src/serving/int8-linear.ts). Absent: `weightStreaming`.
   */
  int8LinearWeightStreaming?: number;
  /**
   * `groupedGemm` by the routed experts' weight format (src/serving/grouped-moe.ts, `GroupedMoeFormat`), where the
   * family's figure for an engine's MoE kernels depends on the format: TensorRT-LLM's CUTLASS fused MoE reaches 0.15
   * of B200's FP4 peak but 0.74 of its BF16 peak (data/kernels/trtllm-moe-aiconfigurator-2026.json). Absent (or absent
   * for a format): `groupedGemm`.
   */
  groupedGemmByFormat?: Partial<Record<GroupedMoeFormat, number>>;
  /** `groupedWeightStreaming` by the routed experts' weight format, as `groupedGemmByFormat`. Absent: `groupedWeightStreaming`. */
  groupedWeightStreamingByFormat?: Partial<Record<GroupedMoeFormat, number>>;
  /**
   * Device time every kernel pays beyond its roofline when replayed from a graph (launch gap, prologue,
   * wave ramp and tail), s: a kernel takes kernelFloorS + max(FLOPs / achieved FLOP/s, bytes / achieved bandwidth).
   */
  kernelFloorS: number;
  /** Host time to launch one kernel eagerly (no graph), s: a kernel then takes at least this long. */
  launchEagerS: number;
  /**
   * Fixed cost of one 16-bit linear call at one token row under graph replay, s: the intercept of the published
   * latency-over-weight-bytes line of BF16 GEMV calls of 2 MiB to 2 GiB (data/kernels/gemv-call-fixed-published.json),
   * where it is above `kernelFloorS`. Each 16-bit linear of a graph-replayed step pays the difference to the kernel
   * charge it already pays (src/serving/linear-call-fixed.ts). Absent: the kernel floor.
   */
  linearCallFixedS?: number;
  /**
   * Device time of one attention call at (near) zero KV under graph replay, s, by attention form (`gqa` for GQA/MHA
   * caches, `mla` for the latent cache), where the chip's attention call has a fixed cost well above `kernelFloorS`
   * (the new token's K/V written into the paged pool, the kernel's tiling set-up, workspace and split-KV combine run
   * however little KV it reads). One call per layer per decoding micro-batch, and one per draft pass, pays the
   * difference to the kernel charge it already pays (src/serving/decode-attention.ts); the KV bytes stay with the
   * attention roofline. Absent (or absent for the form): the kernel floor alone.
   */
  attentionCallFixedS?: { gqa?: number; mla?: number };
  /**
   * Measured MLA decode-attention call times of the engine's MLA backend on the chip, by batch and KV length
   * (src/serving/mla-decode-table.ts): where given, an MLA decode step charges each layer's attention core at least
   * the table's call time beyond its zero-KV latency (the fixed part stays with the kernel floors). Absent: the
   * roofline alone.
   */
  mlaDecodeCall?: MlaDecodeCallTable;
  /**
   * Measured rate of the engine's Triton split-KV MLA decode kernel on the chip, where no call table by batch is given
   * (src/serving/mla-split-kv.ts): each program takes `blockHeads` query heads of one sequence and streams its split
   * of the latent cache, so a call costs (heads per rank / blockHeads, rounded up) x sequences x KV tokens at the
   * measured time per head-group token for that KV length. Where given (and `mlaDecodeCall` is not), an MLA decode
   * step charges each layer's attention core at least that. Absent: the roofline alone.
   */
  mlaDecodeSplitKv?: MlaSplitKvRate;
  /**
   * Measured decode-attention call of an engine whose kernel walks the batch's sequences one after another on the chip
   * (TPU Ragged Paged Attention: a Pallas grid over sequences, each sequence's KV pages copied into VMEM page by page):
   * one call costs `perSeqS` per decoding sequence plus the rank's KV bytes at `hbmFraction` of HBM
   * (src/serving/ragged-decode.ts). Where given, each full-attention layer of a GQA/MHA decode step charges its
   * attention core at least this. Absent: the roofline alone.
   */
  raggedDecodeCall?: RaggedDecodeLine;
  /**
   * Measured decode time of the engine's whole MLA attention module on the chip (down/up projections, norms, RoPE,
   * KV write, absorbed BMMs, the MLA kernel, o_proj; not the TP all-reduce), by projection format, KV dtype, heads per
   * rank, batch and KV length, for the engine release named in `measured` (src/serving/mla-module-table.ts): where
   * given and the model's MLA shape is the table's, each MLA layer of a decode step costs at least the table's time.
   * Absent: the step's own pricing alone.
   */
  mlaDecodeModule?: MlaModuleTable;
  /**
   * Measured time of the engine's whole fused-MoE layer call on the chip (top-k selection from router logits, the
   * routed experts' fused kernels of the backend the engine picks for the format, the combine; not the router GEMM, the
   * all-reduce or an EP dispatch), by model shape, MoE layout (expert TP and EP), weight format and tokens entering the
   * layer, for the engine release named in `measured` (src/serving/fused-moe-table.ts): where given and the table has
   * the model's shape, layout and format, each MoE layer's routed experts cost at least the table's time. Absent: the
   * step's own pricing alone.
   */
  fusedMoeCall?: FusedMoeCallTable;
  /**
   * The same kind of measured fused-MoE call table for a chip of the family that lacks matrix instructions for the
   * experts' weight format (the chip's `formats` leaves it out, e.g. FP4 on a CDNA3 MI300X): the engine's kernel then
   * converts the weight tiles to a wider format inside its K loop, a different kernel with a different cost. Used in
   * place of `fusedMoeCall` on such a chip, and only there (src/serving/fused-moe-table.ts, `fusedMoeCallTableFor`).
   * Absent: `fusedMoeCall` applies to every chip of the family.
   */
  fusedMoeCallUpcast?: FusedMoeCallTable;
  /**
   * Latency of one block-scaled FP8 GEMM call (128 x 128 weight blocks) at decode token counts on the chip, when the
   * engine runs such linears through tile kernels that loop over K serially (the engine's `blockScaledTileGemm`):
   * `fixedS + perKStepS x ceil(K / 128)` (src/serving/block-fp8-gemm.ts), from published kernel tables
   * (data/kernels/block-fp8-gemm-decode-published.json). Charged only where a case or scenario states the checkpoint's
   * weights are block-scaled (`quantization: "block-fp8"`). Absent: no such charge.
   */
  blockScaledGemmKLoop?: { fixedS: number; perKStepS: number };
  /**
   * Measured time of one FP8 linear call of the engine at one token row under graph replay, by weight scaling
   * (`perTensor`: one scale per tensor; `blockScaled`: 128 x 128 weight blocks, charged where a case or scenario states
   * `quantization: "block-fp8"`): `fixedS + FP8 weight bytes / (hbmFraction x the chip's HBM bandwidth)`, the
   * least-squares line through the engine's published one-row FP8 GEMM table on the family's chips, activation
   * quantisation included (data/kernels/fp8-call-fixed-published.json). Every FP8 linear of a step costs at least this
   * (src/serving/fp8-linear-call.ts); the block-scaled K loop and the roofline describe the same call, so the larger
   * is charged, not the sum. Absent (or absent for the scaling): no such floor.
   */
  fp8LinearCall?: { perTensor?: Fp8CallLine; blockScaled?: Fp8CallLine };
  /**
   * Smallest token-row tile of the family's linear kernels by matmul format (src/serving/gemm-tile-rows.ts): a linear
   * of fewer tokens per rank computes this many rows, so its FLOPs are charged at `max(tokens, tile)` rows (the weight
   * bytes are unchanged). Hopper FP8: 64 (wgmma's m64 tile; the H20-3e GEMM table of SGLang's DeepGEMM and CUTLASS
   * kernels is flat from 1 to 64 tokens, data/kernels/h20-gemm-aiconfigurator-2025.json). A format left out, or the
   * field absent: tokens as they are.
   */
  gemmTileMinRows?: Partial<Record<"bf16" | "fp16" | "fp8" | "int8" | "fp4", number>>;
  /**
   * True when the family's compiler prefetches a later op's weights into the chip's on-chip vector memory while other
   * ops run (XLA on TPU: VMEM prefetching), so that a decode step whose layers fit (`Chip.vectorMemoryBytes`) hides its
   * collectives and op fixed costs behind the weight stream (src/serving/vmem-prefetch.ts). Absent: no such overlap.
   */
  weightPrefetchOverlap?: boolean;
  /**
   * Rows of the matrix unit's input tile that a decode-attention kernel fills with the query rows sharing one KV head
   * (src/serving/decode-attention.ts `decodeAttentionRows`): the group's rows are padded up to a multiple of it, not to
   * the unit's width. TPU: 8 (the MXU takes its left-hand operand 8 rows at a time). Absent: the chip's
   * `matrixUnitWidth`, as for the linears.
   */
  decodeAttentionRowTile?: number;
  /**
   * Rows of the matrix unit's left-hand (activation) block that a linear's rows are padded to a multiple of
   * (src/serving/decode-attention.ts `unitRows`), instead of the chip's `matrixUnitWidth`. TPU: 8 (the MXU
   * multiplies an `[8,128]` activation block by its resident `[128,128]` weight tile every 8 cycles and loads the next
   * weight tile without a bubble). Absent: the width rule.
   */
  linearRowTile?: number;
  /** Fixed cost of one tensor-parallel all-reduce beyond its bytes (one-shot kernels for small messages), s. */
  allReduceFixedS: number;
  /**
   * Present when the family's collective library runs a latency-bound collective hop by hop over a direct-connect grid
   * (XLA on TPU ICI): a TP all-reduce, logits gather or DP gather then costs `allReduceFixedS` plus the tier latency
   * once per hop of the group's longest path, twice for an all-reduce (src/serving/collective-hops.ts). Absent:
   * `allReduceFixedS` plus the tier latency once, as through a switch.
   */
  collectiveHops?: CollectiveHops;
  /**
   * Measured time of one tensor-parallel all-reduce call of the engine's own kernel on the family, by group size and
   * message size (src/serving/tp-allreduce-table.ts): a step charges the larger of this call and the ring formula
   * (`allReduceFixedS` + ring bytes at the tier bandwidth). Engines' custom all-reduces reach their bandwidth only at
   * tens of MB; between 256 KB and 8 MB they run well below it (NVIDIA's aiconfigurator tables on 8 H100s: SGLang's
   * custom all-reduce 21 us and TensorRT-LLM's 35 us at 2 MB, where the ring formula gives 17 us;
   * data/kernels/tp-allreduce-aiconfigurator-2026.json). Absent, or no row for the group size: the formula alone.
   */
  tpAllReduceCall?: TpAllReduceCallTable;
  /**
   * Measured time of one NCCL all-reduce on the family's scale-up domain, by group size and message size: the call a
   * tensor-parallel all-reduce falls back to when the engine's custom all-reduce refuses its buffer (the engine's
   * `customAllReduceAlignBytes`; src/serving/custom-allreduce-fallback.ts). nccl-tests on an HGX H200 / B200: 16.0 / 25.5
   * us on 8 GPUs at the smallest message, three to five times the engines' custom call
   * (data/kernels/nccl-small-allreduce-published.json). Absent, or no row for the group size: such a call is priced as
   * any other TP all-reduce.
   */
  ncclAllReduceCall?: TpAllReduceCallTable;
  /**
   * Measured latency of one NCCL all-reduce whose tensor-parallel group spans nodes (more ranks than the innermost
   * tier holds): no engine's custom all-reduce runs across nodes (vLLM's and SGLang's `CustomAllreduce` disable
   * themselves for a group that 'spans across nodes'), so every such TP all-reduce is NCCL's call, whose latency at
   * decode sizes replaces `allReduceFixedS` plus the tier latency (src/serving/cross-node-allreduce.ts). Hopper: 46.6 us
   * on 16 H20 over two nodes (nccl issue 1244; data/kernels/nccl-allreduce-across-nodes-published.json). Absent, or no
   * point for the group's nodes and ranks per node: the formula's fixed cost.
   */
  ncclAllReduceAcrossNodes?: readonly CrossNodeAllReducePoint[];
  /**
   * Whether the engine runs the residual add and RMSNorm that follow each tensor-parallel all-reduce inside the
   * all-reduce kernel on this family (FlashInfer's TRT-LLM all-reduce fusion), and for which models: such a decode step
   * launches `NORMS_AFTER_ALL_REDUCE_PER_LAYER` fewer kernels per layer while the all-reduce keeps its charge
   * (src/serving/allreduce-norm-fusion.ts). Absent: unfused.
   */
  allReduceNormFusion?: AllReduceNormFusion;
  /**
   * Fixed cost of one latency-bound all-gather or reduce-scatter over n ranks of one scale-up domain beyond its bytes:
   * `fixedS + perPeerS x (n - 1)`, s. Engines run these through NCCL's ring kernels (the custom one-shot kernels
   * behind `allReduceFixedS` implement all-reduce only), and a ring call takes n - 1 steps: published per-op NCCL
   * tables grow linearly with the peers (data/kernels/nccl-small-gather-published.json, derivedLines). Used for the
   * DP-attention gather and scatter around tensor-parallel experts (`dpMoeGatherS`). Absent: `allReduceFixedS` plus
   * the tier latency, as for an all-reduce. Measured over 2-8 ranks; larger groups extrapolate the line (A).
   */
  gatherScatter?: { fixedS: number; perPeerS: number };
  /**
   * Shortest time of one fused-MoE call on the chip at decode token counts, by the precision of its expert
   * GEMMs, s: routing (top-k), input quantisation, the two grouped expert GEMMs, activation and the weighted
   * combine, as a published kernel benchmark times them at one token. A call that few tokens pass through
   * is latency-bound (few thread blocks per expert, each streaming its weight tile serially), so it cannot
   * finish faster than this however few weight bytes it reads. Absent (or absent for a precision): no
   * minimum beyond the roofline and the kernel floors.
   */
  fusedMoeMinS?: Partial<Record<"bf16" | "fp16" | "fp8" | "int8" | "fp4", number>>;
  /**
   * Share of the shorter of (compute, communication) that two-micro-batch overlap hides with
   * throughput ("normal") all-to-all kernels, which occupy compute units while they run (prefill):
   * 1 = perfect overlap, 0 = none. Includes the pipeline fill/drain bubble and SM contention.
   */
  overlapNormal: number;
  /** The same with SM-free low-latency all-to-all kernels (decode), which contend for nothing but the bubble. */
  overlapLowLatency: number;
  /** Where the figures come from. */
  source: string;
}

/**
 * How the family's vendor states device memory, and what of it a process can use: the catalog's `memoryGB`
 * times `bytesPerVendorGB` is the capacity the vendor means (HBM stacks are sized in binary units; NVIDIA's
 * "80GB" H100 has 80 GiB), of which the driver keeps `driverReservedFraction` (ECC and row-remapping reserve,
 * what nvidia-smi's total leaves out). The runtime's own reserve (CUDA context, NCCL buffers) is counted by the
 * training memory model, not here.
 */
export interface DeviceMemory {
  bytesPerVendorGB: number;
  driverReservedFraction: number;
  source: string;
}

/**
 * A family's serving figures under one engine (`ChipFamily.servingByEngine`): each field replaces the `serving` field
 * of the same name for that engine and the engines derived from it; `null` withholds an ancestor engine's figure.
 */
export type EngineServingFigures = {
  readonly [K in keyof KernelEfficiency]?: KernelEfficiency[K] | null;
};

/** One chip family: what its kernels reach, for training and for serving, each figure with its source. */
/** The XLA backend that compiles for a chip family ("gpu": CUDA and ROCm share XLA's GPU compiler and its `xla_gpu_*` options; "tpu"). */
export type XlaBackend = "gpu" | "tpu";

export interface ChipFamily {
  /** The id chips name in their `family` field. */
  id: string;
  name: string;
  /** What the vendor's memory figure means in bytes, and what the driver keeps of it. */
  memory: DeviceMemory;
  training: TrainingEfficiency;
  serving: KernelEfficiency;
  /**
   * Serving figures that differ on this family under one serving engine (by engine id), because that engine runs
   * other kernels or libraries here (e.g. the collective library instead of a custom all-reduce, the BLAS
   * library instead of a skinny-GEMM kernel); each replaces the `serving` field of the same name. An engine derived
   * from another (its `parent`, src/serving/engines/lineage.ts) gets the entries of its whole lineage, merged from the
   * most general ancestor to the engine itself, so its own entry need only say what differs; a field set to `null`
   * there withholds the ancestors' figure (the family's `serving` value stands), for figures measured on a release the
   * derived one does not share (`withheld`, ./engine-figures.ts). Absent: every engine gets `serving`.
   */
  servingByEngine?: Readonly<Record<string, EngineServingFigures>>;
  /**
   * Compute-bound throughput against a power limit below the chip's rating, measured on this family (power-limit.ts).
   * Absent: no measurement found, and a limit below the rating is not charged to step time.
   */
  powerLimit?: PowerLimitCurve;
  /** Records of the family's fitted figures: value, what they were fitted on, the script that recomputes them. */
  fits: readonly FitRecord[];
  /**
   * The XLA backend that compiles JAX programs for this family (`src/training/xla-collective-schedule.ts`): "gpu" for
   * NVIDIA and AMD GPUs (XLA's GPU compiler and its `xla_gpu_*` options), "tpu" for TPUs. Absent: no XLA backend.
   */
  xlaBackend?: XlaBackend;
}

/** Projection formats of a measured MLA module table: BF16 weights, 128 x 128 block-scaled FP8, NVFP4. */
export type MlaModuleGemm = "bf16" | "fp8_block" | "nvfp4";

/**
 * A measured MLA attention-module decode table: `grids[gemm][kv][localHeads][batchIndex][stepIndex]`, us, one new token
 * per sequence, rows by `batches` (sequences per rank), columns by `steps` (sequence length: cached KV + the new
 * token), ascending; NaN where unmeasured. `shape` is the model attention the module was built with (the table holds
 * for a model whose MLA dimensions and hidden size are these); `measured` the engine release and chip.
 */
/**
 * One measured fused-MoE series: `[hidden, expert intermediate width, experts, top-k, expert TP, expert EP, format, us
 * by the table's token counts]`; NaN where unmeasured.
 */
export type FusedMoeCallSeries = readonly [
  number,
  number,
  number,
  number,
  number,
  number,
  GroupedMoeFormat,
  readonly number[],
];

/** A measured fused-MoE call table: series by shape, layout and format, us at `tokens` (ascending) tokens per layer call. */
export interface FusedMoeCallTable {
  measured: string;
  tokens: readonly number[];
  series: readonly FusedMoeCallSeries[];
}

export interface MlaModuleTable {
  measured: string;
  shape: {
    hiddenSize: number;
    qLoraRank: number;
    kvLoraRank: number;
    qkNopeHeadDim: number;
    qkRopeHeadDim: number;
    vHeadDim: number;
  };
  batches: readonly number[];
  steps: readonly number[];
  grids: Readonly<
    Partial<
      Record<
        MlaModuleGemm,
        Readonly<Partial<Record<"bf16" | "fp8", Readonly<Record<number, readonly (readonly number[])[]>>>>>
      >
    >
  >;
}

/**
 * A measured MLA decode-attention call table: `grids[kv][localHeads][batchIndex][stepIndex]`, us, one query token per
 * sequence, rows by `batches` (sequences per rank) and columns by `steps` (KV tokens per sequence), ascending; NaN
 * where unmeasured.
 */
/** A split-KV MLA decode kernel's measured time per head-group token by KV length (src/serving/mla-split-kv.ts). */
export interface MlaSplitKvRate {
  /** What was measured: kernel, chip, release, source. */
  measured: string;
  /** Query heads one program takes (the kernel's BLOCK_H). */
  blockHeads: number;
  /** Mean KV length of each measured point, tokens, ascending. */
  kvTokens: readonly number[];
  /** Time per head-group token at each point, s. */
  groupTokenS: readonly number[];
}

/**
 * A decode-attention call line, `seqs x perSeqS + KV bytes / (hbmFraction x HBM)`, least squares over a published kernel
 * table by sequences and KV heads (`raggedDecodeCall`).
 */
export interface RaggedDecodeLine {
  /** What was measured: kernel, chip, release, page size, source. */
  measured: string;
  /** Time per decoding sequence beyond its KV bytes, s: the grid step, page-table reads, query and output copies. */
  perSeqS: number;
  /** Achieved / peak HBM bandwidth at which the call reads the KV cache, (0, 1]. */
  hbmFraction: number;
  /** Most KV heads per rank the table measured; a rank holding more is priced by the roofline alone. */
  maxKvHeadsPerRank: number;
}

export interface MlaDecodeCallTable {
  batches: readonly number[];
  steps: readonly number[];
  grids: Readonly<Partial<Record<"bf16" | "fp8", Readonly<Record<number, readonly (readonly number[])[]>>>>>;
}
