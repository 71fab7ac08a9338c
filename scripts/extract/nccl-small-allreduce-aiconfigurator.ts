// Extracts NCCL's small-message all-reduce latency on 2, 4 and 8 GPUs of an HGX H200 and B200 (nccl-tests, as NVIDIA's
// aiconfigurator recorded it) into data/kernels/nccl-small-allreduce-published.json.
// Usage: npx tsx scripts/extract/nccl-small-allreduce-aiconfigurator.ts <aiconfigurator git dir, checkout or folder at the commit>

import { writeFileSync } from "node:fs";
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
const OUT = "data/kernels/nccl-small-allreduce-published.json";
/** chip -> table (the NCCL release the file is filed under). */
export const TABLES: Record<string, string> = {
  h200: "h200_sxm/comm/nccl/2.26.2/nccl_perf.parquet",
  b200: "b200_sxm/comm/nccl/2.27.5/nccl_perf.parquet",
};
/** Message sizes kept, half-precision elements per rank (the tables' smallest, 256, to 65,536). */
export const MAX_ELEMENTS = 65536;

/**
 * NCCL half all_reduce rows up to MAX_ELEMENTS, by GPUs then size; where a table holds a key twice (the H200 file has two
 * runs) the smaller latency. us to 2 decimals.
 */
export function allReduceRows(rows: readonly Row[]): { gpus: number; messageElements: number; us: number }[] {
  const best = new Map<string, { gpus: number; messageElements: number; us: number }>();
  for (const r of rows) {
    if (r.op_name !== "all_reduce" || r.nccl_dtype !== "half") continue;
    const m = num(r, "message_size");
    if (m > MAX_ELEMENTS) continue;
    const g = num(r, "num_gpus");
    const us = Math.round(num(r, "latency") * 1000 * 100) / 100;
    const k = `${g}/${m}`;
    const had = best.get(k);
    if (had === undefined || us < had.us) best.set(k, { gpus: g, messageElements: m, us });
  }
  if (best.size === 0) throw new ExtractError("no NCCL half all_reduce rows");
  return [...best.values()].sort((a, b) => a.gpus - b.gpus || a.messageElements - b.messageElements);
}

async function main(): Promise<void> {
  const source = openSource(
    process.argv[2],
    COMMIT,
    "nccl-small-allreduce-aiconfigurator.ts <aiconfigurator git dir>",
  );
  const sections: Record<string, unknown> = {};
  for (const [chip, path] of Object.entries(TABLES)) {
    const rows = await readParquet(readSourceFile(source, `${AICONFIGURATOR_DATA}/${path}`));
    const version = String(rows.find((r) => r.op_name === "all_reduce")?.version ?? "");
    sections[chip] = { table: path, rowsVersion: version, rows: allReduceRows(rows) };
  }
  const doc = {
    format: "zettasim-kernel-measurements/1",
    device: {
      name: "NVIDIA H200 SXM and B200 (8-GPU HGX boards, NVLink 4 / NVLink 5 through NVSwitch), as NVIDIA's aiconfigurator recorded them",
    },
    source: `ai-dynamo/aiconfigurator (https://github.com/ai-dynamo/aiconfigurator) at commit ${COMMIT}: ${AICONFIGURATOR_DATA}/{${Object.values(TABLES).join(",")}}; collector collector/network/collect_nccl.py (same commit): the nccl-tests binary all_reduce_perf run as '-b size -e size -t gpus -d half -w 40 -a 1 -n 100 -c 0' (one process, one thread per GPU, 40 warm-ups, 100 timed iterations, no check), the out-of-place time per call in us. Reproduced by \`npx tsx scripts/extract/nccl-small-allreduce-aiconfigurator.ts <git dir of ai-dynamo/aiconfigurator>\`.`,
    note: "What the serving model needs: the time of a tensor-parallel all-reduce that an engine's custom all-reduce refuses and hands to NCCL. vLLM's and SGLang's custom all-reduce take only buffers whose size is a multiple of 16 bytes (should_custom_ar: 'custom allreduce requires input byte size to be multiples of 16'), and vLLM's CudaCommunicator.all_reduce then falls to pynccl (vllm/distributed/device_communicators/cuda_communicator.py). At these sizes NCCL's call is its latency: 16.0 us on 8 H200 and 25.5 us on 8 B200 at the smallest message, against 4.6-5.5 us for vLLM's and SGLang's graph-captured custom all-reduce (data/kernels/tp-allreduce-aiconfigurator-2026.json). nccl-tests launches each call eagerly, back to back; the decode traces of vLLM PR 55021 and SGLang PR 32551 (data/kernels/nccl-small-gather-published.json) time an NCCL ring call inside CUDA graphs at about 20 us on 8 GPUs, the same order. The H200 file is filed under NCCL 2.26.2 but its rows carry version 2.29.2 (rowsVersion). Feeds the Hopper and Blackwell family field ncclAllReduceCall (src/catalog/families/nccl-allreduce-tables.ts); src/serving/custom-allreduce-fallback.test.ts recomputes those tables from this file.",
    units: "us",
    sections,
  };
  writeFileSync(OUT, `${JSON.stringify(doc, null, 1)}\n`);
  console.log(`wrote ${OUT}`);
}

if (isMain(import.meta.url)) await main();
