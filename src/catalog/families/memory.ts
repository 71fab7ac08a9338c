// Device memory as each vendor states it: the bytes behind a catalog "GB", and the share the driver keeps before any process runs.
import type { Chip } from "../types.js";
import type { DeviceMemory } from "./types.js";

const GIB = 2 ** 30;

/**
 * NVIDIA data-centre GPUs: the datasheet "GB" of HBM is GiB, and nvidia-smi's total is that less a reserve
 * proportional to the capacity. nvidia-smi totals as printed by public logs: A100-SXM4-80GB 81,920 MiB (80 GiB,
 * nothing kept); H100 80GB HBM3 and H800 81,559 MiB (80 GiB less 0.44%); H200 143,771 MiB (141 GiB less 0.42%;
 * torch reports 150.1e9 B, data/kernels/h200-2026-11-30.json); B200 183,359 MiB (180 GiB less 0.52%); GB200
 * 189,471 MiB (186 GiB less 0.52%); GB300 284,208 MiB (279 GiB less 0.52%). The reserve of each generation is the
 * largest share seen on its parts.
 */
export const NVIDIA_AMPERE_MEMORY: DeviceMemory = {
  bytesPerVendorGB: GIB,
  driverReservedFraction: 0,
  source: "A100-SXM4-80GB: nvidia-smi total 81,920 MiB = 80 GiB (public nvidia-smi logs)",
};
export const NVIDIA_HOPPER_MEMORY: DeviceMemory = {
  bytesPerVendorGB: GIB,
  driverReservedFraction: 0.0044,
  source:
    "H100 80GB HBM3 / H800: nvidia-smi total 81,559 MiB of 80 GiB; H200: 143,771 MiB of 141 GiB (public nvidia-smi logs; torch total_memory 150.1e9 B on the H200 of data/kernels/h200-2026-11-30.json)",
};
export const NVIDIA_BLACKWELL_MEMORY: DeviceMemory = {
  bytesPerVendorGB: GIB,
  driverReservedFraction: 0.0052,
  source:
    "nvidia-smi totals: B200 183,359 MiB of 180 GiB, GB200 189,471 MiB of 186 GiB, GB300 284,208 MiB of 279 GiB (public nvidia-smi logs): 0.52% kept on each",
};
/** Rubin: NVIDIA's binary GB; the Blackwell reserve carried over (A: no nvidia-smi figure published yet). */
export const NVIDIA_RUBIN_MEMORY: DeviceMemory = {
  ...NVIDIA_BLACKWELL_MEMORY,
  source: "NVIDIA's binary GB as for Hopper and Blackwell; driver reserve of Blackwell assumed (A)",
};
/** Vendors whose capacity figures have not been checked against what the runtime reports: taken as decimal GB, nothing kept (A). */
export const DECIMAL_MEMORY: DeviceMemory = {
  bytesPerVendorGB: 1e9,
  driverReservedFraction: 0,
  source: "capacity taken as decimal GB with nothing reserved: no runtime-reported total found (A)",
};

/**
 * Google TPU: Google's generation table lists HBM per chip in GiB (v5p 95, v6e 32, TPU7x 192: Cloud TPU docs,
 * "TPU7x (Ironwood)", system architecture table), and XLA:TPU allocates up to 31.25 GiB of a 32-GiB chip (its
 * compile-time OOM report "Used 215.17G of 31.25G hbm", allocator "Limit: 31.246 GiB": EnzymeAD/Enzyme-JAX
 * PR 2422): 0.75 GiB of 32 (2.34%) kept, taken as the same share on every generation (A for the others).
 */
export const TPU_MEMORY: DeviceMemory = {
  bytesPerVendorGB: GIB,
  driverReservedFraction: 0.75 / 32,
  source:
    "Cloud TPU docs TPU7x page: HBM per chip in GiB (v5p 95, v6e 32, TPU7x 192); XLA:TPU OOM report 'of 31.25G hbm' on a 32-GiB chip (EnzymeAD/Enzyme-JAX PR 2422)",
};

/**
 * Device memory a process can allocate on `chip`, bytes: the vendor's capacity in the bytes the vendor means,
 * less the driver's reserve (the runtime's own reserve is the training memory model's). Cost O(1).
 */
export function usableMemoryBytes(chip: Chip, m: DeviceMemory): number {
  return (chip.memoryBytes / 1e9) * m.bytesPerVendorGB * (1 - m.driverReservedFraction);
}
/**
 * AMD Instinct (CDNA): AMD's "GB" of HBM is GiB, as the ROCm hardware specification table lists the MI300X's
 * 192 GiB and PyTorch reports ~309e9 B on a 288 GB MI350X; the driver's reserve has not been found (0, A).
 */
export const AMD_CDNA_MEMORY: DeviceMemory = {
  bytesPerVendorGB: GIB,
  driverReservedFraction: 0,
  source:
    "ROCm GPU hardware specifications table (rocm.docs.amd.com, reference/gpu-arch-specs): MI300X VRAM 192 GiB; driver reserve not found (A)",
};
