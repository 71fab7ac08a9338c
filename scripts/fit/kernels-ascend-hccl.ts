// Derives the Ascend 910 family's collective fraction (HCCL's share of the HCCS payload rate) from published HCCL all-reduce / all-gather bandwidths on one 910B server. Run: npx tsx scripts/fit/kernels-ascend-hccl.ts
import { pathToFileURL } from "node:url";
import type { System } from "../../src/catalog/types.js";
import { collectiveTime } from "../../src/training/comm.js";
import type { Collective } from "../../src/training/types.js";
import { systemFromCaseHardware } from "../../src/validate/hardware.js";
import { kernelFile, roundSig } from "./lib.js";

/** One published HCCL row: `ranks` NPUs of one 910B server, algorithm bandwidth (buffer bytes / time), GB/s. */
export interface HcclRow {
  ranks: number;
  collective: "all-reduce" | "all-gather";
  algbwGBps: number;
}

/**
 * Bus bandwidth of a collective from its algorithm bandwidth, as nccl-tests defines it (doc/PERFORMANCE.md):
 * all-reduce moves 2(n-1)/n of the buffer through each rank's links, all-gather and reduce-scatter (n-1)/n.
 */
export function busBandwidth(collective: Collective, algbw: number, n: number): number {
  if (n <= 1) return 0;
  if (collective === "all-reduce") return (algbw * 2 * (n - 1)) / n;
  if (collective === "all-gather" || collective === "reduce-scatter") return (algbw * (n - 1)) / n;
  return algbw;
}

/**
 * The 8-NPU 910B server as the MindSpeed-LLM cases describe it (validation/training-ascend-tpu.json): one HCCS
 * full-mesh tier of 8 at the catalog's 196 GB/s per NPU per direction, 7 links of 28.
 */
export function ascend910bServer(): System {
  return systemFromCaseHardware({
    chip: "ascend-910b",
    chips: 8,
    network: [{ name: "hccs", groupSize: 8, bandwidthGBps: 196, topology: "full-mesh" }],
  });
}

/** Message the rows are read at: the large-message plateau (the benchmark sweeps up to 8 GB); latency is negligible. */
export const HCCL_PLATEAU_BYTES = 1e9;

/**
 * Fraction of the model's payload rate one row reaches: the model's time for the collective at efficiency 1
 * (src/training/comm.ts, collectiveTime: ring volume over the group's share of the full mesh, peerShare) over the
 * measured time, `HCCL_PLATEAU_BYTES` / algbw.
 */
export function rowFraction(system: System, r: HcclRow): number {
  const model = collectiveTime(system, r.collective, HCCL_PLATEAU_BYTES, r.ranks, 1, 0, 1);
  const measured = HCCL_PLATEAU_BYTES / (r.algbwGBps * 1e9);
  return model / measured;
}

/** The published rows (data/kernels/ascend-hccl-published.json, hccl_torch_910b). */
export function hcclRows(): HcclRow[] {
  return kernelFile("ascend-hccl-published.json").hccl_torch_910b.rows as unknown as HcclRow[];
}

/**
 * The family's `collective`: least squares on log(model time / measured time) over every row, one multiplicative
 * fraction, i.e. the geometric mean of the row fractions; 3 significant digits, as the code writes it.
 */
export function deriveAscendCollective(): Record<string, number> {
  const system = ascend910bServer();
  const rows = hcclRows();
  let s = 0;
  for (const r of rows) s += Math.log(rowFraction(system, r));
  return { collective: roundSig(Math.exp(s / rows.length), 3) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const system = ascend910bServer();
  for (const r of hcclRows())
    process.stdout.write(
      `${r.collective} n=${r.ranks}: algbw ${r.algbwGBps} GB/s, busbw ${busBandwidth(r.collective, r.algbwGBps, r.ranks).toFixed(1)} GB/s, fraction ${rowFraction(system, r).toFixed(3)}\n`,
    );
  process.stdout.write(`${JSON.stringify(deriveAscendCollective(), null, 2)}\n`);
}
