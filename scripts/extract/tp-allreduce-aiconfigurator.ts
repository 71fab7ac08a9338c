// Extracts the CUDA-graph bf16 tensor-parallel all-reduce rows of NVIDIA's aiconfigurator H100 tables (SGLang, vLLM,
// TensorRT-LLM) into the sections of data/kernels/tp-allreduce-aiconfigurator-2026.json (the file's other keys are kept).
// Usage: npx tsx scripts/extract/tp-allreduce-aiconfigurator.ts <aiconfigurator git dir, checkout or folder at the commit>
import { readFileSync, writeFileSync } from "node:fs";
import { type PyJson, parsePreserving, pyDumps, pyRoundFloat } from "./lib/py-json.js";
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
} from "./lib/source.js";

export const COMMIT = AICONFIGURATOR_COMMIT;
const OUT = "data/kernels/tp-allreduce-aiconfigurator-2026.json";
const BASE = `${AICONFIGURATOR_DATA}/h100_sxm/comm`;
/** section -> table (framework/version) and the framework's own graph-replayed implementation. */
const TABLES: Record<string, { table: string; impl: string }> = {
  h100_sglang: { table: "sglang/0.5.10", impl: "SGLang_CustomAllReduce_graph" },
  h100_vllm: { table: "vllm/0.19.0", impl: "vLLM_custom_graph" },
  h100_trtllm: { table: "trtllm/1.3.0rc20", impl: "TRTLLM" },
};
/** Message sizes kept, bf16 elements per rank. */
export const MIN_ELEMENTS = 1024;
export const MAX_ELEMENTS = 33554432;

/** The bf16 rows of `impl` (kernel_source or implementation column) in the size window, by GPUs then message size. */
export function allReduceRows(rows: readonly Row[], impl: string): PyJson[] {
  const sel = rows.filter(
    (r) =>
      r.allreduce_dtype === "bfloat16" &&
      (r.kernel_source === impl || r.implementation === impl) &&
      num(r, "message_size") >= MIN_ELEMENTS &&
      num(r, "message_size") <= MAX_ELEMENTS,
  );
  sel.sort(
    (a, b) => num(a, "num_gpus") - num(b, "num_gpus") || num(a, "message_size") - num(b, "message_size"),
  );
  return sel.map((r) => ({
    gpus: num(r, "num_gpus"),
    messageElements: num(r, "message_size"),
    latencyMs: pyRoundFloat(num(r, "latency"), 5),
  }));
}

async function main(): Promise<void> {
  const source = openSource(
    process.argv[2],
    COMMIT,
    "tp-allreduce-aiconfigurator.ts <aiconfigurator git dir>",
  );
  const doc = parsePreserving(readFileSync(OUT, "utf8")) as {
    sections: Record<string, Record<string, PyJson>>;
  };
  for (const [section, { table, impl }] of Object.entries(TABLES)) {
    const rows = await readParquet(readSourceFile(source, `${BASE}/${table}/custom_allreduce_perf.parquet`));
    const kept = allReduceRows(rows, impl);
    if (kept.length === 0) throw new ExtractError(`${section}: no ${impl} bf16 rows in ${table}`);
    doc.sections[section].rows = kept;
  }
  writeFileSync(OUT, pyDumps(doc, { indent: 1 }));
}

if (isMain(import.meta.url)) await main();
