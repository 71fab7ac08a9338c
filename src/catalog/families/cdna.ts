// AMD Instinct CDNA (MI300X, MI325X, MI355X): GEMM levels from AMD's published max-achievable FLOPS; everything else generic (A).
import { GENERIC_SERVING, GENERIC_TRAINING } from "./generic.js";
import { AMD_CDNA_MEMORY } from "./memory.js";
import type { ChipFamily, KernelEfficiency, TrainingEfficiency } from "./types.js";

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
 * CDNA training profile: GEMM asymptotes as above on the generic (Hopper-shaped) dependence on M, N and K (A: no
 * published CDNA shape sweep was gathered; 304 CUs against Hopper's 132 SMs would fill at larger outputs).
 * Grouped GEMMs, fused attention, memory-bound kernels, RCCL collectives, overlap and launch costs: the generic
 * profile (A: no RCCL bus-bandwidth, achieved-HBM, attention or grouped-GEMM measurement was gathered).
 */
const training: TrainingEfficiency = {
  ...GENERIC_TRAINING,
  gemm: {
    bf16: { ...GENERIC_TRAINING.gemm.bf16, peakFraction: CDNA_GEMM_PEAK_FRACTION.bf16 },
    fp8: { ...GENERIC_TRAINING.gemm.fp8, peakFraction: CDNA_GEMM_PEAK_FRACTION.fp8 },
    fp4: { ...GENERIC_TRAINING.gemm.fp4, peakFraction: CDNA_GEMM_PEAK_FRACTION.fp4 },
  },
  source:
    "CDNA: GEMM asymptotes from AMD's max-achievable FLOPS on MI300X/MI325X/MI355X (data/kernels/cdna-maf-2025.json); GEMM shape, attention, memory-bound kernels, RCCL collectives and launch costs generic (A)",
};

/**
 * CDNA serving profile: dense GEMMs at the fp8 max-achievable fraction (serving runs FP8 on these chips), grouped
 * GEMMs at the generic profile's ratio of grouped to dense; every other figure generic (A: no published
 * MI300X/MI355X decode-attention, all-to-all or HBM streaming benchmark was gathered).
 */
const serving: KernelEfficiency = {
  ...GENERIC_SERVING,
  gemm: CDNA_GEMM_PEAK_FRACTION.fp8,
  groupedGemm: (CDNA_GEMM_PEAK_FRACTION.fp8 * GENERIC_SERVING.groupedGemm) / GENERIC_SERVING.gemm,
  source:
    "CDNA: dense GEMM at AMD's fp8 max-achievable fraction (data/kernels/cdna-maf-2025.json), grouped GEMM at the generic ratio; everything else generic (A)",
};

export const CDNA: ChipFamily = {
  id: "cdna",
  name: "AMD Instinct CDNA",
  memory: AMD_CDNA_MEMORY,
  training,
  serving,
  fits: [],
};
