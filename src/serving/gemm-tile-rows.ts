// The token rows a decode-sized linear computes: its tokens padded up to the smallest M tile of the family's kernels for that format.

import type { KernelEfficiency } from "../catalog/families/types.js";

/** Smallest token-row tile of a family's linear kernels, by matmul format; a format left out is not padded. */
export type GemmTileMinRows = NonNullable<KernelEfficiency["gemmTileMinRows"]>;

/**
 * Rows whose FLOPs a linear of `rows` tokens per rank costs at `format`, O(1): `max(rows, minRows)` where the family
 * gives a minimum tile for the format, `rows` otherwise (and 0 stays 0: no tokens, no call). The weight bytes do not
 * change; only the compute side of the roofline `max(FLOPs / rate, bytes / streaming rate)` grows, so it binds only
 * where 2 x minRows FLOPs per weight element exceed the chip's FLOP-to-byte ratio at the achieved rates: Hopper's FP8
 * kernels (64 rows: wgmma's m64 tile) on H100/H200 run 128 FLOP per FP8 byte against a ratio of about 450-500 and stay
 * weight-bound, on the H20 (296 TFLOP/s FP8 over 4.0 TB/s) they are compute-bound at batch 1
 * (data/kernels/h20-gemm-aiconfigurator-2025.json). Throws on a negative row count or a tile below one row.
 */
export function tileRows(rows: number, format: string, tiles: GemmTileMinRows | undefined): number {
  if (!(rows >= 0)) throw new Error(`tileRows: rows = ${rows}; expected a row count >= 0`);
  if (rows === 0 || tiles === undefined) return rows;
  const min = tiles[format as keyof GemmTileMinRows];
  if (min === undefined) return rows;
  if (!(min >= 1))
    throw new Error(`tileRows: gemmTileMinRows.${format} = ${min}; expected a tile of at least 1 row`);
  return Math.max(rows, min);
}
