// NCCL's measured small-message all-reduce on HGX H200 and B200 boards, by group and message size (the call an engine falls back to).

import type { TpAllReduceCallTable } from "./types.js";

/** Message sizes of the rows, bytes: 256 to 65,536 half-precision elements per rank, doubling. */
const BYTES = Array.from({ length: 9 }, (_, i) => 2 * 256 * 2 ** i);

/** Times in us per call by chip and group size, as data/kernels/nccl-small-allreduce-published.json holds them. */
const US: Record<"h200" | "b200", Record<2 | 4 | 8, readonly number[]>> = {
  h200: {
    2: [5.97, 5.86, 6.15, 6.48, 6.91, 7.06, 6.99, 7.31, 7.28],
    4: [9.34, 9.39, 9.56, 9.7, 9.84, 10.81, 11.1, 11.21, 11.37],
    8: [16.04, 15.66, 15.8, 15.81, 15.88, 17.26, 19.64, 19.28, 18.84],
  },
  b200: {
    2: [9.81, 9.88, 9.9, 10.08, 10.38, 10.96, 10.82, 11.11, 11.01],
    4: [15.22, 15.37, 15.34, 15.48, 15.72, 16.32, 16.74, 16.96, 16.86],
    8: [25.49, 25.94, 26.32, 26.67, 26.93, 27.11, 27.85, 28.31, 28.56],
  },
};

function table(chip: keyof typeof US, source: string): TpAllReduceCallTable {
  const secondsByGroup: Record<number, readonly number[]> = {};
  for (const [g, row] of Object.entries(US[chip])) secondsByGroup[Number(g)] = row.map((us) => us * 1e-6);
  return { bytes: BYTES, secondsByGroup, source };
}

const AIC =
  "nccl-tests all_reduce_perf (half, out-of-place), ai-dynamo/aiconfigurator <chip>/comm/nccl/<release>/nccl_perf.parquet at commit 095f58a51c4c, " +
  "data/kernels/nccl-small-allreduce-published.json";

/** NCCL all-reduce on an HGX H200 (the file under NCCL 2.26.2, rows labelled 2.29.2); stands for every Hopper chip (A). */
export const HOPPER_NCCL_ALLREDUCE = table("h200", `NCCL all-reduce on 8 H200; ${AIC}`);
/** NCCL 2.27.5 all-reduce on an HGX B200 (the release torch 2.9 ships); stands for every Blackwell chip (A). */
export const BLACKWELL_NCCL_ALLREDUCE = table("b200", `NCCL 2.27.5 all-reduce on 8 B200; ${AIC}`);
