// Side-by-side comparison of derived system specifications, each figure also as a ratio to the first system.
import { PRECISIONS } from "../catalog/types.js";
import { assertFinite, requireArgument } from "../core/errors.js";
import type { SystemSpec } from "./derive.js";

/** One compared figure. `values[i]` is system i's figure in `unit` (SI); null where the system has none. */
export interface CompareRow {
  key: string;
  label: string;
  /** SI unit of `values`: "FLOP/s", "B", "B/s", "W", "m2", "" for counts. */
  unit: string;
  values: (number | null)[];
  /** values[i] / the first system's reference figure; null where either is missing or zero. */
  ratios: (number | null)[];
  /** How the ratio is taken when it is not value / first value. */
  note?: string;
}

export interface Comparison {
  systems: { id: string; name: string }[];
  rows: CompareRow[];
}

type Pick = (s: SystemSpec) => number | undefined;

function row(
  key: string,
  label: string,
  unit: string,
  specs: SystemSpec[],
  pick: Pick,
  ref: Pick = pick,
): CompareRow {
  const values = specs.map((s) => pick(s) ?? null);
  const base = ref(specs[0]);
  const ratios = values.map((v) => (v === null || !base ? null : v / base));
  return { key, label, unit, values, ratios };
}

/**
 * Compares systems side by side; ratios are to the first. Besides HBM and fast memory (HBM + CPU memory), a row gives
 * each system's HBM against the first's fast memory: the convention of Huawei's "15x the memory of NVL144".
 * Cost: O(systems x rows).
 */
export function compareSpecs(specs: SystemSpec[]): Comparison {
  requireArgument(specs, "specs", "array", "an array of SystemSpec from deriveSpec");
  if (specs.length === 0) return { systems: [], rows: [] };
  const rows: CompareRow[] = [row("chips", "chips", "", specs, (s) => s.chips)];
  for (const p of PRECISIONS) {
    if (specs.some((s) => s.peakFlops[p] !== undefined)) {
      rows.push(
        row(`peakFlops.${p}`, `peak ${p.toUpperCase()} (dense)`, "FLOP/s", specs, (s) => s.peakFlops[p]),
      );
    }
  }
  rows.push(
    row("memoryBytes", "HBM", "B", specs, (s) => s.memoryBytes),
    row("cpuMemoryBytes", "CPU memory", "B", specs, (s) => s.cpuMemoryBytes),
    row("fastMemoryBytes", "fast memory (HBM + CPU)", "B", specs, (s) => s.fastMemoryBytes),
    {
      ...row(
        "memoryBytesVsFirstFastMemory",
        "HBM vs first's fast memory",
        "B",
        specs,
        (s) => s.memoryBytes,
        (s) => s.fastMemoryBytes,
      ),
      note: "HBM of each system / fast memory (HBM + CPU memory) of the first: Huawei's convention against NVL144",
    },
    row("memoryBandwidthBytesPerS", "HBM bandwidth", "B/s", specs, (s) => s.memoryBandwidthBytesPerS),
    row(
      "scaleUpBandwidthBytesPerS",
      "scale-up bandwidth (both dirs)",
      "B/s",
      specs,
      (s) => s.scaleUpBandwidthBytesPerS,
    ),
    row(
      "scaleOutBandwidthBytesPerS",
      "scale-out bandwidth (both dirs)",
      "B/s",
      specs,
      (s) => s.scaleOutBandwidthBytesPerS,
    ),
    row("cabinets", "cabinets", "", specs, (s) => s.cabinets.total),
    row("floorAreaM2", "floor area", "m2", specs, (s) => s.floorAreaM2 || undefined),
    row("powerW", "IT power", "W", specs, (s) => s.powerW),
    row("facilityPowerW", "facility power", "W", specs, (s) => s.facilityPowerW),
    row("switches", "switches", "", specs, (s) => s.switches),
    row("opticalModules", "optical modules", "", specs, (s) => s.opticalModules),
  );
  for (const p of ["fp8", "bf16"] as const) {
    if (specs.some((s) => s.peakFlopsPerW[p] !== undefined)) {
      rows.push(
        row(
          `peakFlopsPerW.${p}`,
          `${p.toUpperCase()} per watt`,
          "FLOP/s/W",
          specs,
          (s) => s.peakFlopsPerW[p],
        ),
      );
    }
  }
  const out = { systems: specs.map((s) => ({ id: s.id, name: s.name })), rows };
  assertFinite(out, "compareSpecs");
  return out;
}
