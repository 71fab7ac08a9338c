// Derives the Blackwell family's kernel profile (B200, GB200, GB300) from published Blackwell kernel benchmarks
// and the Hopper fit's shape (scripts/fit/kernels-hopper.ts). Run: npx tsx scripts/fit/kernels-blackwell.ts
import { pathToFileURL } from "node:url";
import { gemmSeconds } from "../../src/training/kernels.js";
import { fitHopperKernels } from "./kernels-hopper.js";
import { fitLog, kernelFile, roundSig } from "./lib.js";

/**
 * Matmul rates of S. Bekman's ml-engineering tables (data/kernels/sustained-gemm-clocks-published.json):
 * MAMF (maximum achievable, a short burst at the boost clock) for each Blackwell chip measured, against the dense
 * peak of the chip measured (the B300 row is an HGX B300 at 2,250 / 4,500, GB300's die at B300's power), and for
 * B200 also MSMF (maximum sustainable: the chip soaked at its 1,000 W limit, ~1,335 MHz) from the same run.
 */
const CLOCKS_FILE = "sustained-gemm-clocks-published.json";
type MatmulRow = { chip: string; precision: string; theoryTflops: number } & Record<string, unknown>;
function matmulRows(): {
  burst: Record<"bf16" | "fp8", MatmulRow[]>;
  sustained: Record<"bf16" | "fp8", MatmulRow>;
} {
  const f = kernelFile(CLOCKS_FILE);
  const same = f.msmf_b200_h200.rows as MatmulRow[];
  const rows = [...same.filter((r) => r.chip === "b200"), ...(f.mamf_burst.rows as MatmulRow[])].filter((r) =>
    ["b200", "gb200", "b300"].includes(r.chip),
  );
  const by = (p: string) => rows.filter((r) => r.precision === p);
  const b200 = (p: string) => same.find((r) => r.chip === "b200" && r.precision === p) as MatmulRow;
  return { burst: { bf16: by("bf16"), fp8: by("fp8") }, sustained: { bf16: b200("bf16"), fp8: b200("fp8") } };
}
/** cuBLAS 12.9 (NVIDIA technical blog, "Boosting Matrix Multiplication Speed and Flexibility with NVIDIA cuBLAS 12.9"): block-scaled FP4 matmuls reach up to 2.3x the FP8 ones on Blackwell (the 15 PFLOPS-FP4 Blackwell Ultra). */
const FP4_OVER_FP8 = 2.3;
const FP4_PEAK_OVER_FP8 = 15000 / 5000;
const XLA_FILE = "xla-sm100-matmul-excerpt.json";
/**
 * torchao MXFP8 MoE training README (pytorch/ao, torchao/prototype/moe_training/README.md, kernel table of
 * 2025-12, B200): DeepSeek-V3 expert shapes, 131,072 tokens over 8 experts: forward and dgrad 2D-3D grouped
 * GEMM 1,838.1 us each, wgrad 2D-2D 2,412.4 us, for 2 x 131072 x 7168 x 2048 FLOPs each.
 */
const TORCHAO_GROUPED = {
  flops: 2 * 131072 * 7168 * 2048,
  us: [1838.1, 1838.1, 2412.4],
  m: 131072,
  n: 2048,
  k: 7168,
};
/** CCCL DeviceTransform benchmark on B200 (NVIDIA/cccl pull request 7391): fp16 add of 2^28 elements at 6.721 TB/s of 8 TB/s. */
const B200_STREAM = 6.721 / 8;

/** Derived values by parameter path (relative to families.blackwell.training), rounded as the code writes them. */
export function deriveBlackwellKernels(): Record<string, number> {
  const h = fitHopperKernels();
  const out: Record<string, number> = {};
  // Shape: the output needed to keep the SMs busy (halfWorkMN) and the fixed device time of a kernel (fixedS)
  // are fitted on the XLA sm_100 table excerpt (data/kernels/xla-sm100-matmul-excerpt.json) with the tile
  // prologue depth held at Hopper's (the MAMF search's best Blackwell shapes have K of 1,024-3,072, so the
  // prologue is no deeper); the excerpt's burst level is not used. The level comes from the MAMF table.
  const xla = kernelFile(XLA_FILE).gemm_grid.rows as Record<string, number | string>[];
  for (const p of ["bf16", "fp8"] as const) {
    const c = h[`gemm.${p}.halfDepthK`];
    const elem = p === "bf16" ? 2 : 1;
    const b200Peak = p === "bf16" ? 2250 : 4500;
    const f = fitLog(
      [0.8, 1e6, 4e-6],
      xla
        .filter((r) => r.precision === p)
        .map((r) => {
          const [m, n, k] = [r.M as number, r.N as number, r.K as number];
          return {
            measured: (2 * m * n * k) / ((r.tflops as number) * 1e12),
            predict: (q: number[]) =>
              gemmSeconds(
                m,
                n,
                k,
                b200Peak * 1e12,
                { peakFraction: q[0], halfWorkMN: q[1], halfDepthK: c, fixedS: q[2] },
                elem,
                B200_STREAM * 8e12,
              ),
          };
        }),
    );
    const W = roundSig(f.p[1], 3);
    out[`gemm.${p}.halfWorkMN`] = W;
    out[`gemm.${p}.halfDepthK`] = c;
    out[`gemm.${p}.fixedS`] = roundSig(f.p[2], 3);
    out[`gemm.${p}.xlaRmsLogError`] = roundSig(f.rms, 2);
    // Sustained over burst: B200's own MSMF over its MAMF in the same run (torch 2.13, cu130), each through the
    // shape factor: 0.79 for both precisions (0.82 and 0.81 raw), the clock settling at ~1,335 of 1,965 MHz at 1,000 W.
    const shape = (s: readonly number[]) => (1 + W / (s[0] * s[1])) * (1 + c / s[2]);
    const mm = matmulRows();
    const sb = mm.sustained[p];
    const sustain =
      ((sb.msmfTflops as number) * shape(sb.msmfShape as number[])) /
      ((sb.mamfTflops as number) * shape(sb.mamfShape as number[]));
    out[`gemm.${p}.sustainOverBurst`] = roundSig(sustain, 4);
    // Each chip's MAMF fraction of its own datasheet peak, through the shape factor and the sustain ratio, gives
    // its unbounded-shape fraction; chips differ in datasheet peak more than in achieved rate: the family takes the
    // mean. GB200's and GB300's sustained clocks are not measured (no MSMF): they are taken to settle in B200's
    // proportion (A; docs/training.md, "Sustained GEMM clocks and power ceilings").
    const fr = mm.burst[p].map(
      (x) => ((x.mamfTflops as number) / x.theoryTflops) * shape(x.mamfShape as number[]) * sustain,
    );
    out[`gemm.${p}.peakFraction`] = roundSig(fr.reduce((a, x) => a + x, 0) / fr.length, 4);
  }
  for (const k of ["halfWorkMN", "halfDepthK", "fixedS"]) out[`gemm.fp4.${k}`] = out[`gemm.fp8.${k}`];
  const factor = (p: "bf16" | "fp8", [m, n, k]: readonly number[]) =>
    (1 + out[`gemm.${p}.halfWorkMN`] / (m * n)) * (1 + out[`gemm.${p}.halfDepthK`] / k);
  out["gemm.fp4.peakFraction"] = roundSig(
    (out["gemm.fp8.peakFraction"] * FP4_OVER_FP8) / FP4_PEAK_OVER_FP8,
    4,
  );
  // Grouped GEMMs: at Hopper's measured fraction of the dense rate (Transformer Engine's grouped GEMMs are cuBLAS
  // kernels like the dense ones). torchao's prototype MXFP8 kernels (CUTLASS, B200) reach less, the
  // `groupedGemm.fp8.torchaoBound` below, which end-to-end Blackwell MoE runs exceed.
  const t = TORCHAO_GROUPED;
  const denseAt = (out["gemm.fp8.peakFraction"] * 4500e12) / factor("fp8", [t.m, t.n, t.k]);
  const grouped = t.us.reduce((s, us) => s + t.flops / (us * 1e-6), 0) / t.us.length;
  out["groupedGemm.fp8.torchaoBound"] = roundSig(grouped / denseAt, 3);
  for (const p of ["bf16", "fp8", "fp4"] as const)
    out[`groupedGemm.${p}.fraction`] = h[`groupedGemm.${p === "fp4" ? "fp8" : p}.fraction`];
  for (const p of ["bf16", "fp8", "fp4"] as const) {
    const hp = p === "fp4" ? "fp8" : p;
    out[`groupedGemm.${p}.tokenPad`] = roundSig(h[`groupedGemm.${hp}.tokenPad`] * 2, 3);
  }
  // Memory-bound: the B200 stream fraction; kernel kinds keep their Hopper ratio to the stream.
  out.memory = roundSig(B200_STREAM, 3);
  for (const k of ["norm", "activation", "cast", "permute", "unpermute", "softmax", "optimizer"])
    out[`memoryOps.${k}`] = roundSig((h[`memoryOps.${k}`] / h.memory) * out.memory, 3);
  out["gb200.gemmSustainedRelative"] = gb200SustainedRelative(out);
  return out;
}

/** Shapes at which a soaked GEMM's rate is its level, not its launch cost or a skinny tile: every dimension >= 4,096. */
const LEVEL_MIN_DIM = 4096;

/**
 * GB200's sustained FP8 GEMM rate over the family's level at GB200's peak: the median, over Azure's soaked cuBLASLt
 * rows (data/kernels/sustained-gemm-clocks-published.json, azure_cublaslt_soaked) with every dimension at least
 * 4,096, of the measured rate over the family's model of the same shape at GB200's 5,000 TFLOPS FP8 peak. The
 * family level is B200's sustained proportion (MSMF at 1,000 W) carried to GB200's datasheet peak; GB200 settles
 * below it. `d` holds the family's derived fp8 GEMM parameters. Cost O(rows).
 */
export function gb200SustainedRelative(d: Record<string, number>): number {
  const rows = kernelFile(CLOCKS_FILE).azure_cublaslt_soaked.rows as {
    chip: string;
    precision: string;
    shape: number[];
    tflops: number;
  }[];
  const g = {
    peakFraction: d["gemm.fp8.peakFraction"],
    halfWorkMN: d["gemm.fp8.halfWorkMN"],
    halfDepthK: d["gemm.fp8.halfDepthK"],
    fixedS: d["gemm.fp8.fixedS"],
  };
  const ratios = rows
    .filter((r) => r.chip === "gb200" && r.precision === "fp8" && Math.min(...r.shape) >= LEVEL_MIN_DIM)
    .map((r) => {
      const [m, n, k] = r.shape;
      const model = (2 * m * n * k) / gemmSeconds(m, n, k, 5000e12, g, 1, B200_STREAM * 8e12) / 1e12;
      return r.tflops / model;
    })
    .sort((a, b) => a - b);
  const mid = ratios.length >> 1;
  const median = ratios.length % 2 ? ratios[mid] : (ratios[mid - 1] + ratios[mid]) / 2;
  return roundSig(median, 3);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(`${JSON.stringify(deriveBlackwellKernels(), null, 2)}\n`);
}
