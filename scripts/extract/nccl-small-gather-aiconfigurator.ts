// Extracts the aiconfigurator parts of data/kernels/nccl-small-gather-published.json from NVIDIA's aiconfigurator: NCCL
// all-gather/reduce-scatter at decode sizes on B200 and H200, their per-peer lines, and SGLang's graph-captured custom
// all-reduce at the same sizes. The decode-trace section and the prose keys are kept as they are.
// Usage: npx tsx scripts/extract/nccl-small-gather-aiconfigurator.ts <aiconfigurator git dir, checkout or folder at the commit>

import { readFileSync, writeFileSync } from "node:fs";
import { leastSquaresLine } from "../../src/core/fit.js";
import { PyFloat, type PyJson, parsePreserving, pyDumps, pyRound, pyRoundFloat } from "./lib/py-json.js";
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
const OUT = "data/kernels/nccl-small-gather-published.json";
const BASE = AICONFIGURATOR_DATA;
/** Message sizes kept (elements), NCCL sections. */
export const NCCL_SIZES = [8192, 16384, 32768, 65536];
/** Message sizes kept, the custom all-reduce section. */
export const CUSTOM_SIZES = [8192, 16384, 32768];
const OPS = ["all_gather", "reduce_scatter"];

/**
 * NCCL half-precision all-gather and reduce-scatter rows at NCCL_SIZES, by op, ranks, size; a table that holds a key
 * twice (the H200 file has two runs) gives both rows in table order. us to 2 decimals.
 */
export function ncclRows(
  rows: readonly Row[],
): { op: string; ranks: number; messageSize: number; us: number }[] {
  const sel = rows.filter(
    (r) =>
      r.nccl_dtype === "half" &&
      OPS.includes(r.op_name as string) &&
      NCCL_SIZES.includes(num(r, "message_size")),
  );
  sel.sort(
    (a, b) =>
      OPS.indexOf(a.op_name as string) - OPS.indexOf(b.op_name as string) ||
      num(a, "num_gpus") - num(b, "num_gpus") ||
      num(a, "message_size") - num(b, "message_size"),
  );
  if (sel.length === 0) throw new ExtractError("no NCCL half all_gather/reduce_scatter rows at the sizes");
  return sel.map((r) => ({
    op: r.op_name as string,
    ranks: num(r, "num_gpus"),
    messageSize: num(r, "message_size"),
    us: pyRound(num(r, "latency") * 1000, 2),
  }));
}

/** Median of the us values per rank count, then least squares of those medians in (ranks - 1). */
export function perPeerLine(rows: readonly { ranks: number; us: number }[]): {
  fixedUs: number;
  perPeerUs: number;
} {
  const ranks = [...new Set(rows.map((r) => r.ranks))].sort((a, b) => a - b);
  if (ranks.length < 2) throw new ExtractError(`perPeerLine: ${ranks.length} rank counts, need at least 2`);
  const x = ranks.map((n) => n - 1);
  const y = ranks.map((n) => {
    const s = rows
      .filter((r) => r.ranks === n)
      .map((r) => r.us)
      .sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  });
  const { slope, intercept } = leastSquaresLine(x, y);
  return { fixedUs: pyRound(intercept, 2), perPeerUs: pyRound(slope, 3) };
}

/** SGLang's graph-captured custom all-reduce, bf16, at CUSTOM_SIZES, by ranks then size, us to 3 decimals. */
export function customAllReduceRows(rows: readonly Row[]): PyJson[] {
  const sel = rows.filter(
    (r) =>
      r.kernel_source === "SGLang_CustomAllReduce_graph" &&
      r.allreduce_dtype === "bfloat16" &&
      CUSTOM_SIZES.includes(num(r, "message_size")),
  );
  sel.sort(
    (a, b) => num(a, "num_gpus") - num(b, "num_gpus") || num(a, "message_size") - num(b, "message_size"),
  );
  if (sel.length === 0) throw new ExtractError("no SGLang_CustomAllReduce_graph bf16 rows at the sizes");
  return sel.map((r) => ({
    ranks: num(r, "num_gpus"),
    messageSize: num(r, "message_size"),
    us: pyRoundFloat(num(r, "latency") * 1000, 3),
  }));
}

async function main(): Promise<void> {
  const source = openSource(
    process.argv[2],
    COMMIT,
    "nccl-small-gather-aiconfigurator.ts <aiconfigurator git dir>",
  );
  const table = async (path: string) => readParquet(readSourceFile(source, `${BASE}/${path}`));
  const doc = parsePreserving(readFileSync(OUT, "utf8")) as {
    sections: Record<string, Record<string, PyJson>>;
  };
  const b200 = ncclRows(await table("b200_sxm/comm/nccl/2.27.5/nccl_perf.parquet"));
  const h200 = ncclRows(await table("h200_sxm/comm/nccl/2.26.2/nccl_perf.parquet"));
  const asJson = (rs: typeof b200): PyJson[] => rs.map((r) => ({ ...r, us: new PyFloat(r.us) }));
  doc.sections.nccl_ring_gather_scatter_b200.rows = asJson(b200);
  doc.sections.nccl_ring_gather_scatter_h200.rows = asJson(h200);
  const line = (rs: typeof b200): PyJson => {
    const l = perPeerLine(rs);
    return { fixedUs: new PyFloat(l.fixedUs), perPeerUs: new PyFloat(l.perPeerUs) };
  };
  doc.sections.derivedLines.blackwell = line(b200);
  doc.sections.derivedLines.hopper = line(h200);
  doc.sections.sglang_custom_allreduce_graph.b200 = customAllReduceRows(
    await table("b200_sxm/comm/sglang/0.5.9/custom_allreduce_perf.parquet"),
  );
  doc.sections.sglang_custom_allreduce_graph.h200 = customAllReduceRows(
    await table("h200_sxm/comm/sglang/0.5.9/custom_allreduce_perf.parquet"),
  );
  // This file was written with ensure_ascii=False (a quote holds "µs").
  writeFileSync(OUT, `${pyDumps(doc, { indent: 1, ensureAscii: false })}\n`);
}

if (isMain(import.meta.url)) await main();
