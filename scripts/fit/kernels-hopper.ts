// Fits the Hopper family's kernel profile (GEMM shape model, grouped expert GEMM, fused attention, memory-bound
// fractions, launch costs) on the H200 measurements in data/kernels/ (2026-11-30). Run: npx tsx scripts/fit/kernels-hopper.ts
import { pathToFileURL } from "node:url";
import {
  attentionRate,
  type GemmShape,
  gemmSeconds,
  groupedGemmSeconds,
} from "../../src/training/kernels.js";
import { fitLog, kernelFile, roundSig } from "./lib.js";

const FILE_A = "h200-2026-11-30.json";
const FILE_B = "h200-2026-11-30-b.json";
/** H200 SXM datasheet: 989 TFLOPS bf16, 1,979 fp8 dense; 4.8 TB/s HBM3e. */
const PEAK = { bf16: 989e12, fp8: 1979e12 } as const;
const HBM = 4.8e12;

type Row = Record<string, number | string>;

/** Fitted values by parameter path (relative to families.hopper.training), rounded as the code writes them. */
export function fitHopperKernels(): Record<string, number> {
  const a = kernelFile(FILE_A);
  const b = kernelFile(FILE_B);
  const out: Record<string, number> = {};
  // Stream bandwidth (copy and add, eager PyTorch): the memory roofline of every kernel.
  const mem = Object.fromEntries(
    (a.memory_bound.rows as Row[]).map((r) => [r.what, (r.gbps as number) * 1e9]),
  );
  const stream = (mem.copy + mem.add) / 2 / HBM;
  out.memory = roundSig(stream, 3);
  const bw = out.memory * HBM;
  // GEMM shape model per precision over the 316-point grid, its asymptote pinned to the sustained runs: a long
  // run of large GEMMs holds 670 TFLOPS bf16 (8192^3) and 1,240 fp8 (16384^3) at the 700 W cap, while smaller
  // grid shapes draw less power and keep higher clocks; training's GEMMs are the large, power-capped kind.
  const sustainedRuns = {
    bf16: { n: 8192, rows: a.sustained.rows as Row[] },
    fp8: { n: 16384, rows: b.sustained_fp8.rows as Row[] },
  };
  const gemm: Record<string, GemmShape> = {};
  for (const prec of ["bf16", "fp8"] as const) {
    const rows = (b.gemm_grid.rows as Row[]).filter((r) => r.precision === prec);
    const elem = prec === "bf16" ? 2 : 1;
    const sr = sustainedRuns[prec];
    const sustained = (sr.rows.reduce((x, r) => x + (r.tflops as number), 0) / sr.rows.length) * 1e12;
    const n = sr.n;
    // Peak fraction that makes the model give the sustained rate at n^3 for shape parameters p = [W, c, fixed].
    const pinned = (p: number[]) =>
      (((2 * n ** 3) / PEAK[prec]) * (1 + p[0] / (n * n)) * (1 + p[1] / n)) /
      ((2 * n ** 3) / sustained - p[2]);
    const f = fitLog(
      [2e5, 200, 2.5e-6],
      rows.map((r) => ({
        measured: r.s as number,
        predict: (p: number[]) =>
          gemmSeconds(
            r.M as number,
            r.N as number,
            r.K as number,
            PEAK[prec],
            {
              peakFraction: pinned(p),
              halfWorkMN: p[0],
              halfDepthK: p[1],
              fixedS: p[2],
            },
            elem,
            bw,
          ),
      })),
    );
    const g: GemmShape = {
      peakFraction: roundSig(pinned(f.p), 4),
      halfWorkMN: roundSig(f.p[0], 3),
      halfDepthK: roundSig(f.p[1], 3),
      fixedS: roundSig(f.p[2], 3),
    };
    gemm[prec] = g;
    for (const [k, v] of Object.entries(g)) out[`gemm.${prec}.${k}`] = v;
    out[`gemm.${prec}.rmsLogError`] = roundSig(f.rms, 2);
  }
  // Grouped expert GEMMs (torch._grouped_mm; bf16 from both files, fp8 row-scaled): padding per expert and rate
  // relative to the dense fit. Robust (L1) fit: one fp8 shape (128 experts x 256 tokens) ran slower than bf16.
  const groupedRows: { prec: "bf16" | "fp8"; G: number; M: number; K: number; N: number; s: number }[] = [];
  for (const r of a.grouped_gemm.rows as Row[])
    groupedRows.push({
      prec: "bf16",
      G: r.G as number,
      M: r.tokensPerExpert as number,
      K: r.K as number,
      N: r.N as number,
      s: r.groupedS as number,
    });
  for (const r of b.grouped_fp8.rows as Row[]) {
    groupedRows.push({
      prec: "bf16",
      G: r.G as number,
      M: r.tokensPerExpert as number,
      K: r.K as number,
      N: r.N as number,
      s: r.bf16S as number,
    });
    groupedRows.push({
      prec: "fp8",
      G: r.G as number,
      M: r.tokensPerExpert as number,
      K: r.K as number,
      N: r.N as number,
      s: r.fp8S as number,
    });
  }
  for (const prec of ["bf16", "fp8"] as const) {
    const elem = prec === "bf16" ? 2 : 1;
    const f = fitLog(
      [64, 0.9],
      groupedRows
        .filter((r) => r.prec === prec)
        .map((r) => ({
          measured: r.s,
          predict: (p: number[]) =>
            groupedGemmSeconds(
              r.G,
              r.M,
              r.N,
              r.K,
              PEAK[prec],
              gemm[prec],
              { tokenPad: p[0], fraction: Math.min(1, p[1]) },
              elem,
              bw,
            ),
        })),
      true,
    );
    out[`groupedGemm.${prec}.tokenPad`] = roundSig(f.p[0], 3);
    out[`groupedGemm.${prec}.fraction`] = roundSig(Math.min(1, f.p[1]), 3);
  }
  // Fused causal attention, forward + backward (cuDNN through SDPA, what Transformer Engine runs), and PyTorch's
  // FlashAttention-2 backend: peak fraction and half-saturation sequence length.
  const att = a.attention.rows as Row[];
  for (const [name, backend] of [
    ["fused", "cudnn"],
    ["sdpa", "flash"],
  ] as const) {
    const fb = att.filter((r) => r.backend === backend && r.pass === "fwd+bwd");
    const f = fitLog(
      [0.55, 1000],
      fb.map((r) => ({
        measured: 1 / (r.tflops as number),
        predict: (p: number[]) =>
          1e12 /
          attentionRate(PEAK.bf16, { peakFraction: p[0], halfSeq: p[1], forwardShare: 0 }, r.S as number),
      })),
    );
    out[`attention.${name}.peakFraction`] = roundSig(f.p[0], 3);
    out[`attention.${name}.halfSeq`] = roundSig(f.p[1], 3);
    // Forward share of forward + backward time: (fwd FLOPs / fwd rate) / (3.5 fwd FLOPs / fwd+bwd rate), averaged.
    const shares = fb.map((r) => {
      const fw = att.find(
        (x) => x.backend === backend && x.pass === "fwd" && x.S === r.S && x.H === r.H && x.Hkv === r.Hkv,
      );
      return (r.tflops as number) / (fw?.tflops as number) / 3.5;
    });
    out[`attention.${name}.forwardShare`] = roundSig(shares.reduce((s, x) => s + x, 0) / shares.length, 3);
  }
  // Memory-bound kernels as fractions of HBM bandwidth (eager PyTorch, one kernel each).
  out["memoryOps.norm"] = roundSig(mem["rms_norm h=8192"] / HBM, 3);
  out["memoryOps.activation"] = roundSig(mem["silu*mul (gated MLP act)"] / HBM, 3);
  out["memoryOps.cast"] = roundSig(mem["cast bf16->fp8 e4m3"] / HBM, 3);
  out["memoryOps.permute"] = roundSig(mem["moe permute (index_select, topk 8, h 7168)"] / HBM, 3);
  out["memoryOps.unpermute"] = roundSig(mem["moe unpermute (index_add_, topk 8, h 7168)"] / HBM, 3);
  out["memoryOps.softmax"] = roundSig(mem["softmax rows of 8192"] / HBM, 3);
  // Fused AdamW over fp32 master weights, gradients and moments.
  const opt = a.optimizer.rows as Row[];
  out["memoryOps.optimizer"] = roundSig(
    opt.reduce((s, r) => s + (r.gbps as number), 0) / opt.length / (HBM / 1e9),
    3,
  );
  // Launch cost per kernel from the host: eager PyTorch and replayed from a CUDA graph.
  for (const r of a.launch.rows as Row[])
    out[r.mode === "eager" ? "launchS.eager" : "launchS.graph"] = roundSig(r.sPerKernel as number, 3);
  // Host time of one eager GEMM call: the Python loop of G torch.matmul calls over small expert GEMMs is
  // host-bound where the shape model's device time is under half the loop's time per call; the median of those.
  const g = {
    peakFraction: out["gemm.bf16.peakFraction"],
    halfWorkMN: out["gemm.bf16.halfWorkMN"],
    halfDepthK: out["gemm.bf16.halfDepthK"],
    fixedS: out["gemm.bf16.fixedS"],
  };
  const perCall = (a.grouped_gemm.rows as Row[])
    .map((r) => {
      const m = r.tokensPerExpert as number;
      const device = gemmSeconds(m, r.N as number, r.K as number, PEAK.bf16, g, 2, HBM * out.memory);
      return { call: (r.loopS as number) / (r.G as number), device };
    })
    .filter((x) => x.device < 0.75 * x.call)
    .map((x) => x.call)
    .sort((x, y) => x - y);
  out["launchS.gemmEager"] = roundSig(perCall[Math.floor(perCall.length / 2)], 2);
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(`${JSON.stringify(fitHopperKernels(), null, 2)}\n`);
}
