// Accelerator catalog: per-chip facts in the scenario file format, each figure with its source and confidence.
import type { ChipFile } from "../scenario/hardware.js";

const HC2025 = "Huawei Connect 2025 keynote (Eric Xu), 18 Sep 2025; shared/reference/hardware.md";

export const CHIP_FILES: ChipFile[] = [
  {
    id: "ascend-950dt",
    name: "Huawei Ascend 950DT",
    vendor: "Huawei",
    year: 2026,
    peakTflops: { fp4: 2000, fp8: 1000, int8: 1000, bf16: 500 },
    formats: ["fp4", "fp8", "int8", "bf16", "fp16", "fp32"],
    memoryGB: 144,
    memoryBandwidthTBps: 4,
    scaleUpBandwidthGBps: 1000,
    scaleOutBandwidthGBps: 100,
    powerW: 1000,
    sources: [
      {
        fields: ["peakTflops.fp8", "peakTflops.fp4", "memoryGB", "memoryBandwidthTBps"],
        source: HC2025,
        confidence: "S",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: HC2025,
        confidence: "S",
        note: "2 TB/s interconnect, read as both directions (2.5x the 910C's 784 GB/s = 2 x 392): 1 TB/s per direction",
      },
      {
        fields: ["peakTflops.bf16", "peakTflops.int8"],
        source: "assumption",
        confidence: "A",
        note: "not published; BF16 taken as half of FP8 and INT8 equal to FP8, as on every Ascend and Nvidia generation since 2022",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source: "assumption",
        confidence: "A",
        note: "not published; 800 Gb/s UBoE/RoCE port per NPU",
      },
      {
        fields: ["powerW"],
        source: "assumption",
        confidence: "A",
        note: "not published; ~1 kW class like B200 at the same FP8 throughput",
      },
    ],
  },
];
