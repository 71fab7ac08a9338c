// Extracts the M = 1 FP8 GEMM rows (per-tensor "fp8" and block-scaled "fp8_block") of 2 MiB to 2 GiB of weights from
// NVIDIA's aiconfigurator per-chip GEMM tables into data/kernels/fp8-call-fixed-published.json, with the least-squares
// line latency = intercept + bytes / rate per table: the time of one decode-sized FP8 linear call of an engine
// (src/serving/fp8-linear-call.ts).
// Usage: npx tsx scripts/extract/fp8-call-fixed-aiconfigurator.ts <aiconfigurator git dir, checkout or folder at the commit>
import { writeFileSync } from "node:fs";
import { leastSquaresLine } from "../../src/core/fit.js";
import { MAX_BYTES, MIN_BYTES } from "./gemv-call-fixed-aiconfigurator.js";
import { type PyJson, pyDumps, pyRoundFloat } from "./lib/py-json.js";
import {
  AICONFIGURATOR_COMMIT,
  AICONFIGURATOR_DATA,
  ExtractError,
  isMain,
  num,
  openSource,
  type Row,
  readParquet,
  readSourceFile,
  str,
} from "./lib/source.js";

export const COMMIT = AICONFIGURATOR_COMMIT;
const OUT = "data/kernels/fp8-call-fixed-published.json";
const BASE = AICONFIGURATOR_DATA;
/** The FP8 weight formats of the tables: one scale per tensor, and DeepSeek's 128 x 128 weight blocks. */
export const DTYPES = ["fp8", "fp8_block"] as const;
const VERSIONS = ["sglang/0.5.10", "vllm/0.19.0", "trtllm/1.3.0rc10"];
/** catalog chip id -> aiconfigurator system (the Hopper and Blackwell chips whose tables hold FP8 rows). */
const CHIPS: Record<string, string> = { "h100-sxm": "h100_sxm", "h200-sxm": "h200_sxm", b200: "b200_sxm" };

/**
 * Median latency (us, 3 decimals) of TensorRT-LLM's dynamic FP8 activation-scale computation at m = 1 over its K rows
 * (quantize/trtllm/<version>/computescale_perf.parquet, quant_dtype fp8): the overhead the collector's per-tensor rows
 * include (collector/trtllm/collect_gemm.py: "the collected fp8 GEMM includes the compute-scale overhead. AIC derives
 * fp8_static at query time by subtracting that overhead"). Throws a named error when the table has no such row.
 */
export function computeScaleUs(rows: readonly Row[]): PyJson {
  const l = rows
    .filter((r) => r.quant_dtype === "fp8" && r.m === 1)
    .map((r) => num(r, "latency") * 1e3)
    .sort((a, b) => a - b);
  if (l.length === 0) throw new ExtractError("no fp8 compute_scale row at m = 1");
  const h = l.length >> 1;
  return pyRoundFloat(l.length % 2 === 1 ? l[h] : (l[h - 1] + l[h]) / 2, 3);
}

/** The `dtype` rows at m = 1 whose weights (n x k bytes, one per FP8 element) are in [minBytes, maxBytes), by n then k. */
export function fp8CallRows(rows: readonly Row[], dtype: string, minBytes: number, maxBytes: number): Row[] {
  const sel = rows.filter((r) => {
    const bytes = num(r, "n") * num(r, "k");
    return r.gemm_dtype === dtype && r.m === 1 && bytes >= minBytes && bytes < maxBytes;
  });
  return sel.sort((a, b) => num(a, "n") - num(b, "n") || num(a, "k") - num(b, "k"));
}

/**
 * One table's entry: chip, table, dtype, device and kernel columns, the line's intercept (us, 3 decimals) and rate
 * (bytes/s at its slope), then the rows. Throws a named error on no rows, a RangeError (leastSquaresLine) on fewer
 * than two rows or one weight size.
 */
export function fp8CallTable(chip: string, table: string, dtype: string, sel: readonly Row[]): PyJson {
  if (sel.length === 0) throw new ExtractError(`${chip}: no ${dtype} m = 1 rows in ${table}`);
  const { slope, intercept } = leastSquaresLine(
    sel.map((r) => num(r, "n") * num(r, "k")),
    sel.map((r) => num(r, "latency") * 1e-3),
  );
  return {
    chip,
    table,
    dtype,
    device: str(sel[0], "device"),
    kernelSource: str(sel[0], "kernel_source"),
    interceptUs: pyRoundFloat(intercept * 1e6, 3),
    bytesPerSAtSlope: Math.round(1 / slope),
    rows: sel.map((r) => ({ n: num(r, "n"), k: num(r, "k"), latencyMs: pyRoundFloat(num(r, "latency"), 6) })),
  };
}

async function main(): Promise<void> {
  const source = openSource(
    process.argv[2],
    COMMIT,
    "fp8-call-fixed-aiconfigurator.ts <aiconfigurator git dir>",
  );
  const tables: PyJson[] = [];
  for (const [chip, system] of Object.entries(CHIPS))
    for (const v of VERSIONS) {
      const table = `${system}/gemm/${v}/gemm_perf.parquet`;
      const rows = await readParquet(readSourceFile(source, `${BASE}/${table}`));
      for (const dtype of DTYPES) {
        const sel = fp8CallRows(rows, dtype, MIN_BYTES, MAX_BYTES);
        // vLLM 0.19.0's B200 table has no block-scaled row at m = 1 (its rows start at m = 8): no entry.
        if (sel.length === 0) continue;
        const entry = fp8CallTable(chip, table, dtype, sel) as Record<string, PyJson>;
        if (dtype === "fp8" && v.startsWith("trtllm/")) {
          const cs = `${system}/quantize/${v}/computescale_perf.parquet`;
          const { rows: callRows, ...head } = entry;
          tables.push({
            ...head,
            computeScaleTable: cs,
            computeScaleUs: computeScaleUs(await readParquet(readSourceFile(source, `${BASE}/${cs}`))),
            rows: callRows,
          });
        } else tables.push(entry);
      }
    }
  const doc: PyJson = {
    format: "zettasim-kernel-measurements/1",
    device: {
      name: "NVIDIA H100 SXM, H200 SXM, B200: FP8 linear calls (per-tensor and 128 x 128 block-scaled) at one token row",
    },
    source:
      "Published kernel-level measurements; no measurement was run here. src/serving/fp8-linear-call.test.ts recomputes the family figures from these rows.",
    sections: {
      fp8_call_m1: {
        method: `ai-dynamo/aiconfigurator at commit ${COMMIT}, per-op GEMM tables ${BASE}/<system>/gemm/<framework>/<version>/gemm_perf.parquet (CUDA-graph replay in the collector; each framework's own FP8 linear op, activation quantisation included), extracted by scripts/extract/fp8-call-fixed-aiconfigurator.ts (npx tsx scripts/extract/fp8-call-fixed-aiconfigurator.ts <aiconfigurator git dir>). Rows kept: gemm_dtype fp8 (per-tensor scales) or fp8_block (128 x 128 weight blocks), m = 1, weights n x k bytes (one per FP8 element, scales not counted) in [2 MiB, 2 GiB). Per table the least-squares line latency = intercept + bytes / bytesPerSAtSlope. TensorRT-LLM's per-tensor rows run its dynamic activation-scale path (the weights carry no input_scale), so those tables also carry computeScaleUs, the median m = 1 latency of that step (quantize/trtllm/<version>/computescale_perf.parquet), which a static-scale checkpoint does not run. vLLM's fp8_block rows were collected without CUDA graphs (collector/vllm/collect_gemm.py: use_cuda_graph=gemm_type != "fp8_block"), so their intercept holds eager launch time.`,
        sourceUrl: `https://github.com/ai-dynamo/aiconfigurator/tree/${COMMIT}/${BASE}`,
        minWeightBytes: MIN_BYTES,
        maxWeightBytes: MAX_BYTES,
        tables,
      },
    },
  };
  writeFileSync(OUT, `${pyDumps(doc, { indent: 1 })}\n`);
}

if (isMain(import.meta.url)) await main();
