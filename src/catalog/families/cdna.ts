// AMD Instinct CDNA (MI300X, MI325X, MI355X): GEMM levels from AMD's max-achievable FLOPS, fused attention from aiter's published v3 kernel table; decode GEMV, RCCL and eager-launch figures from MI300X microbenchmarks.
import { MI300X_C3_REALISED_UPLIFT, overlapCostFromRealisedUplift } from "./c3-overlap.js";
import { withheld } from "./engine-figures.js";
import { fitRecords } from "./fits.js";
import { GENERIC_SERVING, GENERIC_TRAINING } from "./generic.js";
import { AMD_CDNA_MEMORY } from "./memory.js";
import type {
  ChipFamily,
  FusedMoeCallTable,
  KernelEfficiency,
  MlaSplitKvRate,
  TrainingEfficiency,
} from "./types.js";

/**
 * Fraction of the dense datasheet peak a large hipBLASLt GEMM sustains, per precision: the median over MI300X,
 * MI325X and MI355X of AMD's max-achievable FLOPS (data/kernels/cdna-maf-2025.json, which
 * src/catalog/families/cdna.test.ts recomputes these from). bf16: 708 / 1,307 (0.54), 843 / 1,307 (0.64),
 * 1,613 / 2,517 (0.64); fp8: 1,273 / 2,615 (0.49), 1,519 / 2,615 (0.58), 2,905 / 5,033 (0.58); fp4: MI355X only,
 * 5,663 / 10,066 (0.56, A). AMD measures MAF at the median clock under a sustained load, so no further reduction
 * for throttling is applied (unlike the Blackwell profile's MAMF figures).
 */
export const CDNA_GEMM_PEAK_FRACTION = { bf16: 0.6409, fp8: 0.5772, fp4: 0.5626 } as const;

/**
 * Output size (M x N elements) at which a BF16 GEMM on CDNA reaches half its large-shape rate in the shape model's
 * `(1 + halfWorkMN / MN)` term: 1.237e6, the log-space least-squares fit (level free, `halfDepthK` and `fixedS` the
 * generic ones) over the four device-bound rows of Meta's MI300X `torch.mm` sweep (facebookexperimental/triton pull
 * request 2891, 2026-08-18, "amd_gemm_gfx942 vs aten (bf16)": 8,192 cubed 635.3, 4,096 cubed 612.3, 1,024 x 8,192 x
 * 8,192 568.6, 8,192 x 1,024 x 8,192 564.4 TFLOPS; data/kernels/cdna-gemm-shapes-published.json, which
 * src/catalog/families/cdna.test.ts refits it from); every row within 1.5%, rms 0.9%. The Hopper-shaped term it replaces (180,000)
 * had CDNA's 304 compute units fill at Hopper's outputs: at M 8,192 an N 1,024 projection ran 2% below 8,192 cubed where
 * the sweep measures 11%. The 2,048- and 1,024-cubed rows (330 and 84 TFLOPS) are left out: at 52 and 26 us
 * a call they are bound by occupancy of the 304 CUs and by host launch, neither of which this term describes (A).
 * The level stays AMD's max-achievable figure (the sweep's own asymptote, 657 TFLOPS, is 0.50 of the peak: see
 * docs/training.md, "CDNA GEMM shapes from a torch.mm sweep"). FP8 and FP4 keep the generic terms (no CDNA sweep, A).
 */
export const CDNA_GEMM_HALF_WORK_MN = { bf16: 1.237e6 } as const;

/**
 * Causal fused attention forward + backward (head dim 128, BF16) as Transformer Engine on ROCm runs it: aiter's v3
 * (assembly) forward and backward, the causal rows of the table in ROCm/aiter op_tests/cpp/mha/README.md (pull
 * request 1270, MI300X and MI355X; data/kernels/cdna-attention-aiter-2025.json, which src/catalog/families/cdna.test.ts
 * refits these from): rate = peakFraction x bf16 peak x S / (S + halfSeq), fitted in log space over both chips, whose
 * fractions agree (at 8K: MI300X 0.348, MI355X 0.346 of their peaks with fp32 atomics). `a32`: the backward
 * accumulating dQ through fp32 atomics, Transformer Engine's default (`NVTE_CK_IS_V3_ATOMIC_FP32` defaults to 1);
 * `a16`: through 16-bit atomics (`NVTE_CK_IS_V3_ATOMIC_FP32=0`, AMD's own MLPerf configurations), 10% (MI300X) to 39%
 * (MI355X) faster in the backward. forwardShare: the median forward share of the forward + backward time.
 */
export const CDNA_ATTENTION = {
  a32: { peakFraction: 0.3923, halfSeq: 1150, forwardShare: 0.2302 },
  a16: { peakFraction: 0.4772, halfSeq: 1350, forwardShare: 0.2597 },
} as const;

/**
 * CDNA training profile: GEMM asymptotes as above; the BF16 dependence on the output size from Meta's MI300X torch.mm
 * sweep (CDNA_GEMM_HALF_WORK_MN: 304 CUs against Hopper's 132 SMs fill at larger outputs), the rest of the shape terms
 * and FP8/FP4's generic (Hopper-shaped, A: no CDNA sweep of them). Fused
 * attention from aiter's v3 kernels (CDNA_ATTENTION; fp32 dQ atomics unless a run sets `attentionDqAtomics`); the
 * overlap cost from AMD's measured C3 interference on MI300X (c3-overlap.ts). Grouped GEMMs, memory-bound kernels, RCCL
 * collectives and launch costs: the generic profile (A: no RCCL bus-bandwidth, achieved-HBM or grouped-GEMM measurement
 * was gathered).
 */
const training: TrainingEfficiency = {
  ...GENERIC_TRAINING,
  // Share of overlapped communication that still shows: RCCL's collectives beside GEMMs on an MI300X realise 21% of
  // the ideal overlap uplift (AMD's C3 characterisation, arXiv 2412.14335; c3-overlap.ts), so 0.79 of the hidden time
  // shows, where the generic profile assumed 0.15 (A). MI325X is the same CDNA3 silicon; MI350X/MI355X (CDNA4, RCCL's
  // collectives on compute units too) take it unmeasured (A).
  overlapCost: overlapCostFromRealisedUplift(MI300X_C3_REALISED_UPLIFT, [
    "families",
    "cdna",
    "training",
    "overlapCost",
  ]),
  attention: { fused: { ...CDNA_ATTENTION.a32 }, fused16BitDqAtomics: { ...CDNA_ATTENTION.a16 } },
  gemm: {
    bf16: {
      ...GENERIC_TRAINING.gemm.bf16,
      peakFraction: CDNA_GEMM_PEAK_FRACTION.bf16,
      halfWorkMN: CDNA_GEMM_HALF_WORK_MN.bf16,
    },
    fp8: { ...GENERIC_TRAINING.gemm.fp8, peakFraction: CDNA_GEMM_PEAK_FRACTION.fp8 },
    fp4: { ...GENERIC_TRAINING.gemm.fp4, peakFraction: CDNA_GEMM_PEAK_FRACTION.fp4 },
  },
  source:
    "CDNA: GEMM asymptotes from AMD's max-achievable FLOPS on MI300X/MI325X/MI355X (data/kernels/cdna-maf-2025.json); BF16 output-size term from Meta's MI300X torch.mm sweep (facebookexperimental/triton PR 2891; data/kernels/cdna-gemm-shapes-published.json); fused attention from aiter's v3 kernel table (ROCm/aiter PR 1270; data/kernels/cdna-attention-aiter-2025.json); overlap cost from AMD's MI300X C3 characterisation (arXiv 2412.14335: 21% of the ideal uplift); other GEMM shape terms, memory-bound kernels, RCCL collectives and launch costs generic (A)",
};

/**
 * MI300X decode-kernel figures (data/kernels/cdna-decode-2026.json, which src/catalog/families/cdna.test.ts
 * recomputes these from). `weightStreaming`: achieved / datasheet HBM bandwidth of an M = 1 GEMM over weights larger
 * than the 256 MiB Infinity Cache, median over the rows of ROCm/rocm-libraries PR 12329: the wvSpltK skinny kernel
 * (what vLLM's ROCm build runs for small-batch linears since 2025) 4.63 TB/s, hipBLASLt's own selection 3.97 TB/s.
 * `rcclAllReduceS`: RCCL all-reduce over 8 MI300X at 32-64 KB (one or two decode tokens of a 16,384-wide bf16
 * hidden state), median of the rccl-tests times in ROCm/rccl issue 1562 (ROCm 6.2, RCCL 2.20.5): 53.4 us, a fixed
 * latency (the bytes add under 1 us). `launchEagerS`: one PyTorch eager op on gfx942, a launch-bound rocBLAS GEMM
 * (pytorch/pytorch PR 196920, MI308X): 11.1 us.
 */
export const CDNA_DECODE = {
  weightStreaming: { skinnyGemm: 0.873, hipblaslt: 0.749 },
  rcclAllReduceS: 53.435e-6,
  launchEagerS: 11.145e-6,
} as const;

/**
 * Fixed cost of one small TP all-reduce through the custom (one-shot IPC) all-reduce that vLLM's and SGLang's ROCm
 * builds run for decode-sized messages (data/kernels/cdna-serving-2026-12-02.json, `custom_allreduce_small`, which
 * src/catalog/families/cdna.test.ts recomputes this from): the median of AMD's MI300X kernel table at 2-32 KB
 * (vllm-project/vllm PR 19744, 'baseline' = the custom all-reduce; 7.18 / 7.26 / 7.58 us) less the xGMI protocol's
 * static latency (1 us), which the cost model adds to every call over an Infinity Fabric tier. Measured at TP 4; an
 * 8-rank call on the fully connected platform taken alike (A; vLLM PR 39080 times the same kernel at TP 8 on MI355X
 * at 6.3-6.7 us for 24-48 KB).
 */
export const CDNA_CUSTOM_ALLREDUCE_S = 6.26e-6;

/**
 * CDNA serving profile, for the engines of 2025 on ROCm (vLLM V1 with its skinny GEMMs and custom all-reduce; other
 * engines taken alike, A): dense GEMMs at the fp8 max-achievable fraction (serving runs FP8 on these chips), grouped GEMMs at the
 * generic profile's ratio of grouped to dense; decode weight streaming at the skinny-GEMM kernel's measured bandwidth
 * (measured in FP16; FP8 skinny GEMMs taken to stream as well, A); an eager op at its measured host time; a small TP
 * all-reduce at the custom all-reduce's measured latency (CDNA_CUSTOM_ALLREDUCE_S). Kernel floor under graph replay,
 * attention and all-to-all: generic (A: no MI300X measurement of them was gathered).
 */
const serving: KernelEfficiency = {
  ...GENERIC_SERVING,
  gemm: CDNA_GEMM_PEAK_FRACTION.fp8,
  groupedGemm: (CDNA_GEMM_PEAK_FRACTION.fp8 * GENERIC_SERVING.groupedGemm) / GENERIC_SERVING.gemm,
  weightStreaming: CDNA_DECODE.weightStreaming.skinnyGemm,
  // An FP8 per-tensor linear the engine does not give to its skinny kernel (vLLM: more than one token) runs in
  // hipBLASLt: its measured M = 1 rate (FP16 rows of ROCm/rocm-libraries PR 12329; taken for FP8 at M 2-17, A).
  fp8BlasWeightStreaming: CDNA_DECODE.weightStreaming.hipblaslt,
  launchEagerS: CDNA_DECODE.launchEagerS,
  allReduceFixedS: CDNA_CUSTOM_ALLREDUCE_S,
  // Block-scaled FP8 GEMM at decode M: 2.224 us per 128-wide K step, aiter's default-config Triton kernel for
  // N 2112 x K 7168 on MI350X (ROCm/aiter PR 1232; A: taken for MI300X's early-2025 Triton kernels; corroborated by
  // aiter PR 1930's MI300X TPOT drop of ~110 us per layer when that one shape was tuned).
  // data/kernels/block-fp8-gemm-decode-published.json, cdna_triton_default_decode.
  blockScaledGemmKLoop: { fixedS: 0, perKStepS: 2.224e-6 },
  source:
    "CDNA: dense GEMM at AMD's fp8 max-achievable fraction (data/kernels/cdna-maf-2025.json); decode weight streaming (wvSpltK skinny GEMM) and eager launch from MI300X microbenchmarks (data/kernels/cdna-decode-2026.json); small TP all-reduce from AMD's MI300X custom all-reduce table (data/kernels/cdna-serving-2026-12-02.json); grouped GEMM at the generic ratio; kernel floor, attention, all-to-all generic (A)",
};

/**
 * What upstream vLLM's V0 engine (0.6, 2024) runs on ROCm instead: no custom all-reduce (vllm-project/vllm issue
 * 14755), so every TP all-reduce is an RCCL call at RCCL's small-message latency; no skinny-GEMM kernel, so linears
 * go through PyTorch to hipBLASLt at its measured M = 1 bandwidth (the 2026 hipBLASLt of the measurement taken as no
 * slower than 2024's, A).
 */
const servingVllmV0: Partial<KernelEfficiency> = {
  weightStreaming: CDNA_DECODE.weightStreaming.hipblaslt,
  allReduceFixedS: CDNA_DECODE.rcclAllReduceS,
  source:
    "CDNA under upstream vLLM V0: RCCL small-message all-reduce (ROCm/rccl issue 1562) and hipBLASLt M = 1 streaming (ROCm/rocm-libraries PR 12329), data/kernels/cdna-decode-2026.json; rest as the CDNA profile",
};

/**
 * vLLM's MXFP4 fused-MoE call on a CDNA chip without FP4 matrix instructions (gfx942: MI300X, MI325X), us at one
 * token: vLLM's MXFP4 MoE method picks OpenAI's Triton `matmul_ogs` on ROCm (vllm/model_executor/layers/quantization/
 * mxfp4.py, get_mxfp4_backend), which converts the MXFP4 weight tiles to 16 bits in its K loop. ROCm/triton issue 970
 * (2026-09-08) times its stage-1 call (gate and up projections with the fused SwiGLU) at gpt-oss-20b's padded decode
 * shape on an MI300X, 32 experts, top-4, K 3,072, N 6,144, one token: 82.28 us with triton 3.6.0 (80.40 with 3.7.1 and
 * its trackers flag off): 40 MB of MXFP4 weights at 0.49 TB/s, bound by 96 two-warp programs walking the K loop, not by
 * HBM. The series is gpt-oss-20b's unpadded shape (hidden 2,880, 32 experts of 2,880, top-4, expert TP 1, EP 1) at FP4;
 * one stage is a lower bound of the whole layer call (the down projection, routing and combine come on top), held at
 * every token count (fusedMoeCallS's envelope). August 2025's Triton (vLLM 0.10.1) was not timed there; taken as no
 * faster (A). data/kernels/cdna-mxfp4-moe-decode-published.json; src/serving/fused-moe-table.test.ts checks it.
 */
export const VLLM_MXFP4_MOE_GFX942: FusedMoeCallTable = {
  measured: "triton_kernels matmul_ogs stage 1 on MI300X (triton 3.6.0), ROCm/triton issue 970",
  tokens: [1],
  series: [[2880, 2880, 32, 4, 1, 1, "fp4", [82.28]]],
};

/**
 * The Triton split-KV MLA decode kernel on MI300X, s per 16-head-group token by mean KV length: tile-ai/tilelang's
 * 'FlashMLA Performance on AMD MI300x' figure (examples/deepseek_mla/figures/flashmla-amd.png, with
 * examples/deepseek_mla/amd/README.md, commits 0997c333 / e9d4ceda, 2025-04; benchmark
 * examples/deepseek_mla/amd/benchmark_mla_decode_amd_triton.py, PR 367, d3536d9e), its Triton bars at batch 128:
 * 18 / 24 / 34 / 43 / 51 TFLOPS at 1K / 2K / 4K / 8K / 16K of KV (128 heads, float16, 32 KV splits, BLOCK_H 16,
 * BLOCK_N 64; the batch-64 bars are within one TFLOPS). FLOPs = KV tokens x heads x 2,176 (the script's formula), so
 * one 16-head group's token costs 16 x 2,176 / rate: 1.93 ns at 1K to 0.68 ns at 16K, i.e. the kernel streams the
 * 1,152-byte latent at 0.6-1.7 TB/s of the MI300X's 5.3 TB/s (aiter's assembly kernel and TileLang, 92-157 TFLOPS in the
 * same figure, run 3-8x faster). The kernel is the one SGLang's decode_attention.py grouped MLA path and vLLM's
 * triton_decode_attention.py port run on ROCm without aiter (same grid: heads / 16, batch, KV splits); their releases'
 * tile and split choices (SGLang 0.4.2 on HIP: 16 KV tokens a tile, 16 splits, sgl-project/sglang PR 3255) are taken
 * at this kernel's measured rate (A). data/kernels/cdna-mla-triton-decode-tilelang-2025.json; src/serving/mla-split-kv.test.ts recomputes
 * these from it. The bar labels are truncated to whole TFLOPS, so these times are high by at most 6% (1K) to 2% (16K).
 */
export const CDNA_TRITON_MLA_DECODE: MlaSplitKvRate = {
  measured: "Triton split-KV MLA decode on MI300X, tile-ai/tilelang flashmla-amd.png (2025-04), batch 128",
  blockHeads: 16,
  kvTokens: [1151, 2175, 4223, 8319, 16511],
  groupTokenS: [18, 24, 34, 43, 51].map((tflops) => (16 * 2176) / (tflops * 1e12)),
};

export const CDNA: ChipFamily = {
  id: "cdna",
  name: "AMD Instinct CDNA",
  xlaBackend: "gpu",
  memory: AMD_CDNA_MEMORY,
  training,
  serving,
  // vLLM's Triton MXFP4 MoE on gfx942 (VLLM_MXFP4_MOE_GFX942), for the vLLM lineage; gfx950 has FP4 units and keeps none.
  // V0 (2024) predates gpt-oss and its MXFP4 method: it keeps none.
  // The Triton split-KV MLA decode (CDNA_TRITON_MLA_DECODE) for the releases that ran it on ROCm: SGLang 0.4.2's
  // 'triton' backend and vLLM V0's TRITON_MLA (0.7, early 2025). Not for `sglang` or `vllm` as they stand: their ROCm
  // images and launch scripts turn on aiter's MLA (SGLANG_USE_AITER=1, VLLM_ROCM_USE_AITER), 3-8x faster in the same
  // measured figure, so this rate would price today's runs far too slow.
  servingByEngine: {
    "sglang-0.4.2": { mlaDecodeSplitKv: CDNA_TRITON_MLA_DECODE },
    vllm: { fusedMoeCallUpcast: VLLM_MXFP4_MOE_GFX942 },
    "vllm-v0": {
      ...servingVllmV0,
      ...withheld("fusedMoeCallUpcast"),
      mlaDecodeSplitKv: CDNA_TRITON_MLA_DECODE,
    },
  },
  fits: [
    ...fitRecords(
      "families.cdna.serving",
      "scripts/fit/kernels-block-fp8.ts",
      "mean time of aiter's default-config Triton block-scaled FP8 rows at N 2112 x K 7168 on MI350X over their 128-wide K steps (data/kernels/block-fp8-gemm-decode-published.json, cdna_triton_default_decode); fixedS held at 0",
      { "blockScaledGemmKLoop.perKStepS": serving.blockScaledGemmKLoop?.perKStepS as number },
    ),
    ...fitRecords(
      "families.cdna",
      "scripts/fit/kernels-cdna.ts",
      "medians of the published microbenchmarks: GEMM fractions of AMD's max-achievable FLOPS over MI300X/MI325X/MI355X (cdna-maf-2025.json); MI300X M = 1 GEMM HBM shares (wvSpltK, hipBLASLt) and RCCL small all-reduce (cdna-decode-2026.json); AMD's MI300X custom all-reduce at 2-32 KB less the xGMI static latency (cdna-serving-2026-12-02.json)",
      {
        "training.gemm.bf16.peakFraction": CDNA_GEMM_PEAK_FRACTION.bf16,
        "training.gemm.fp8.peakFraction": CDNA_GEMM_PEAK_FRACTION.fp8,
        "training.gemm.fp4.peakFraction": CDNA_GEMM_PEAK_FRACTION.fp4,
        "serving.gemm": CDNA_GEMM_PEAK_FRACTION.fp8,
        "serving.weightStreaming": CDNA_DECODE.weightStreaming.skinnyGemm,
        "serving.fp8BlasWeightStreaming": CDNA_DECODE.weightStreaming.hipblaslt,
        "servingByEngine.vllm-v0.weightStreaming": CDNA_DECODE.weightStreaming.hipblaslt,
        "servingByEngine.vllm-v0.allReduceFixedS": CDNA_DECODE.rcclAllReduceS,
        "serving.allReduceFixedS": CDNA_CUSTOM_ALLREDUCE_S,
      },
    ),
  ],
};
