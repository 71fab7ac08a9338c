// Accelerator catalog: per-chip facts in the scenario file format, each figure with its source and confidence.
import type { ChipFile } from "../schema/hardware.js";

/**
 * Host (CPU) time of one eager PyTorch op on Grace (GB200, GB300) relative to the x86 hosts the launch and per-expert
 * host figures were measured on: 197.4 / 181.7 ns per torch.ops call (pytorch/pytorch issue 187862).
 */
export const GRACE_HOST_OP_TIME_RELATIVE = 197.4 / 181.7;
const HC2025 = "Huawei Connect 2025 keynote (Eric Xu), 18 Sep 2025; shared/reference/hardware.md";
const CANN_950 =
  "CANN runtime platform descriptions of the 950 SoC bins, github.com/hicann/runtime at 681ef7610df1 (2026-08-22), src/platform/platform_config/cann-dev/Ascend950{DT,PR}_*.ini: cube_core_cnt, cube_freq, DtypeMKN (fp16/bf16 16x16x16, FP8/HiF8/INT8 16x32x16, FP4 16x64x16 per cube per cycle); peak = cores x M0 x K0 x N0 x 2 x clock; data/kernels/ascend-950-platform-published.json";
const ASCEND_950_WHITEPAPER =
  "Huawei Ascend 950 NPU architecture whitepaper, Table 3-1, as quoted in gitcode.com/cann/ops-nn issue 6033 (2026-09-20): Server tier 432 TFLOPS BF16 cube, 865 FP8/HiF8/MXFP8, 1,730 MXFP4; PCIE tier 378 / 756 / 1,513";
const CM384 = "Zuo et al., Serving LLMs on Huawei CloudMatrix384, arXiv 2506.12708";
const A100_DS = "NVIDIA A100 Tensor Core GPU datasheet (2021), SXM4 80GB column";
const H100_DS = "NVIDIA H100 Tensor Core GPU datasheet (2023), H100 SXM column";
const H200_DS = "NVIDIA H200 Tensor Core GPU datasheet (2024), H200 SXM column";
const DGX_B200 =
  "NVIDIA DGX B200 datasheet (2024): 8 GPUs, 72 PF FP8 / 144 PF FP4 (sparse), 1,440 GB HBM3e, 64 TB/s";
const GB200_NVL72 =
  "NVIDIA GB200 NVL72 product page (2024): 1,440 PF FP4 / 720 PF FP8 / 360 PF BF16 (sparse), up to 13.4 TB HBM3e at 576 TB/s, NVLink 130 TB/s";
const GB300_NVL72 =
  "NVIDIA GB300 NVL72 product page (2025): 1,080 PF FP4 dense, up to 20 TB HBM3e, NVLink 130 TB/s, ConnectX-8 800 Gb/s";
const VR_NVL144 =
  "NVIDIA GTC 2025 keynote (Mar 2025) and Vera Rubin NVL144 announcement: 144 Rubin GPU dies, 3.6 EF NVFP4 inference, 1.2 EF FP8 training, 288 GB HBM4 per package at 13 TB/s, NVLink6 260 TB/s, 75 TB fast memory";
const SCALING_BOOK =
  "Austin et al. (Google DeepMind), How to Scale Your Model, 2025, TPU chapter: ICI 4.5e10 B/s (v4) / 9e10 B/s (v5p) per link per direction, 6 links per chip (3D torus)";
const SCALING_BOOK_TPUS =
  "Austin et al. (Google DeepMind), How to Scale Your Model, 'How to Think About TPUs' (github.com/jax-ml/scaling-book tpus.md at 0819a7d8, 2025-02-18)";
const TPU_V4_PAPER = "Jouppi et al., TPU v4, ISCA 2023, arXiv 2304.01433";
const TPU_MXU_DOC =
  "Google Cloud TPU documentation, TPU architecture (docs.cloud.google.com/tpu/docs/system-architecture-tpu-vm): an MXU is 256 x 256 multiply-accumulators on TPU v6e, 128 x 128 on the TPU versions before v6e";
const TPU_V5P_DOC =
  "Google Cloud TPU v5p documentation (2024): 459 TFLOPS BF16, 918 TOPS INT8, 95 GB HBM2e at 2,765 GB/s";

const TPU_V5E_DOC =
  "Google Cloud TPU v5e documentation (docs.cloud.google.com/tpu/docs/v5e): 197 TFLOPS bf16, 393 TOPS int8, 16 GB HBM2 at 819 GB/s, 400 GB/s bidirectional ICI per chip over 4 ports, 2D torus, 256-chip pod, 8 chips and 2 x 100 Gb/s NICs per host";
const TPU_V6E_DOC =
  "Google Cloud TPU v6e documentation (docs.cloud.google.com/tpu/docs/v6e): 918 TFLOPS bf16, 1,836 TOPS int8, 32 GB HBM at 1,638 GB/s, 800 GB/s bidirectional ICI per chip over 4 ports, 2D torus, 256-chip pod, 8 chips per host; two 256 x 256 MXUs per TensorCore";
const TPU7X_DOC =
  "Google Cloud TPU7x (Ironwood) documentation (docs.cloud.google.com/tpu/docs/tpu7x): 2,307 TFLOPS bf16, 4,614 TFLOPS fp8, 192 GiB HBM per chip, two TensorCores per chip, 9,216-chip pod, 3D torus";

const HGX_B300 =
  "NVIDIA HGX B300 datasheet / HGX platform page (2025): 8 x Blackwell Ultra GPUs, FP4 144 PF sparse / 108 PF dense, FP8 72 PF, BF16 36 PF, TF32 18 PF (sparse), FP32 600 TF, up to 2.3 TB HBM3e, NVLink 5 1.8 TB/s per GPU (14.4 TB/s total), 1.6 TB/s networking (ConnectX-8)";
const MI300X_DS =
  "AMD Instinct MI300X data sheet (2023) and AMD CDNA 3 architecture white paper: 1,307.4 TFLOPS BF16/FP16, 2,614.9 FP8/INT8, 653.7 TF32, 163.4 FP32 matrix (dense), 192 GB HBM3 at 5.3 TB/s, 750 W, 7 x 128 GB/s Infinity Fabric links (896 GB/s)";
const MI325X_DS =
  "AMD Instinct MI325X data sheet (2024): 1,307.4 TFLOPS BF16/FP16, 2,614.9 FP8 (dense), 256 GB HBM3E at 6 TB/s, 1,000 W, 896 GB/s Infinity Fabric (7 links)";
const MI355X_DS =
  "AMD Instinct MI355X data sheet (2025) and AMD CDNA 4 architecture white paper: 2.5 PF BF16/FP16, 5.0 PF FP8, 10.1 PF MXFP6/MXFP4 (dense), 157.3 TF FP32, 288 GB HBM3E at 8 TB/s, 1,400 W, 7 x 153.6 GB/s Infinity Fabric links (1,075 GB/s)";

const MI350X_DS =
  "AMD Instinct MI350X data sheet and product page (2025): the MI355X's CDNA 4 die air-cooled at 1,000 W and a 2,200 MHz peak engine clock (MI355X 2,400 MHz): 2.3 PF BF16/FP16, 4.6 PF FP8, 9.2 PF MXFP6/MXFP4 (dense), 144.2 TF FP32, 288 GB HBM3E at 8 TB/s, 7 x 153.6 GB/s Infinity Fabric links (1,075 GB/s)";

const AIC_GEMV =
  "NVIDIA aiconfigurator per-chip GEMM tables (github.com/ai-dynamo/aiconfigurator, commit 095f58a51c4c): bf16 linear at M = 1 (cuBLAS), weights >= 512 MiB, median over the chip's SGLang, vLLM and TensorRT-LLM tables; data/kernels/hbm-achieved-published.json, gemv_m1_bf16";

/** The Atlas 800I A2's NPU, also the base of the 32 GB ascend-910b4 entry. */
const ASCEND_910B4_1: ChipFile = {
  // The Atlas 800I A2 inference server's NPU: a lower 910B bin (20 cube cores at 1.5 GHz against the 910B2's 24 at
  // 1.8 GHz). Rows and the server-to-bin evidence: data/kernels/ascend-910b-bins-published.json.
  id: "ascend-910b4-1",
  family: "ascend-910",
  name: "Huawei Ascend 910B4-1 (Atlas 800I A2)",
  vendor: "Huawei",
  peakTflops: { int8: 491.52, fp16: 245.76, bf16: 245.76 },
  formats: ["int8", "fp16", "bf16", "fp32"],
  memoryGB: 64,
  memoryBandwidthTBps: 1.6 * (0.96 / 1.3824),
  scaleUpBandwidthGBps: 196,
  scaleOutBandwidthGBps: 25,
  powerW: 400,
  sources: [
    {
      fields: ["peakTflops", "formats"],
      source:
        "CANN platform description Ascend910B4-1.ini (github.com/hicann/runtime src/platform/platform_config/cann/, commit a4fd6501): cube_core_cnt 20, cube_freq 1500 MHz, 16 x 16 x 16 cube; INT8 MKN 16,32,16 (twice the fp16 K per cycle)",
      confidence: "S",
      note: "20 x 4,096 MACs x 2 x 1.5 GHz = 245.76 TFLOP/s fp16/bf16, INT8 twice; the 910B2's description gives 353.9 by the same product",
    },
    {
      fields: ["memoryGB"],
      source:
        "npu-smi of 910B4-1 devices (Project-HAMi/HAMi-WebUI issue 47, HAMi issue 2288: 65,536 MB); HAMi issue 1497: the 910B4-1's memory raised from the 910B4's 32 GB to 64 GB; an Atlas 800I A2 reports chip 910B4-1 (Project-HAMi/volcano-vgpu-device-plugin issue 51)",
      confidence: "S",
    },
    {
      fields: ["memoryBandwidthTBps"],
      source: "assumption from the CANN platform descriptions (data/kernels/ascend-910b-bins-published.json)",
      confidence: "A",
      note: "no HBM figure published for the 910B4 bins; the cores' global-memory read rate (20 cores x 32 B/cycle x 1.5 GHz = 0.96 TB/s) is 0.694 of the 910B2's (24 x 32 x 1.8 = 1.382 TB/s, whose HBM is 1.6 TB/s), so 1.6 x 0.694 = 1.11 TB/s",
    },
    {
      fields: ["scaleUpBandwidthGBps", "scaleOutBandwidthGBps", "powerW"],
      source: "assumption: the Atlas 800T A2's HCCS full mesh and RoCE ports (ascend-910b)",
      confidence: "A",
      note: "the 800I A2's link figures and the 910B4-1's power are not published; power enters no step time",
    },
  ],
};

/** The Atlas 950 SuperPoD's NPU as Huawei announced it, also the base of the ascend-950dt-cann variant. */
const ASCEND_950DT: ChipFile = {
  id: "ascend-950dt",
  family: "ascend-950",
  name: "Huawei Ascend 950DT",
  vendor: "Huawei",
  year: 2026,
  peakTflops: { fp4: 2000, fp8: 1000, int8: 1000, bf16: 500, fp16: 500 },
  formats: ["fp4", "fp8", "int8", "bf16", "fp16", "fp32"],
  memoryGB: 144,
  memoryBandwidthTBps: 4,
  scaleUpBandwidthGBps: 1000,
  scaleOutBandwidthGBps: 100,
  powerW: 1000,
  sources: [
    {
      fields: ["peakTflops.fp8", "peakTflops.fp4", "memoryGB", "memoryBandwidthTBps", "formats"],
      source: HC2025,
      confidence: "S",
      note: "same compute as 950PR; 144 GB HiZQ 2.0 HBM at 4 TB/s",
    },
    {
      fields: ["scaleUpBandwidthGBps"],
      source: HC2025,
      confidence: "S",
      note: "2 TB/s interconnect, read as both directions (2.5x the 910C's 784 GB/s = 2 x 392): 1 TB/s per direction; 8,192 x 2 TB/s = 16.4 PB/s matches the SuperPoD's 16.3 PB/s",
    },
    {
      fields: ["peakTflops.bf16", "peakTflops.fp16", "peakTflops.int8"],
      source: "assumption",
      confidence: "A",
      note: "half of the keynote's FP8 and INT8 equal to FP8: the ratios CANN's platform descriptions give (FP8 and INT8 tiles twice the bf16 one). The value matches no 950DT bin there: the whitepaper's 32-core Server tier gives 432.5 (catalog variant ascend-950dt-cann), the 36-core 1.8 GHz bins 530.8; which bin the SuperPoD ships is not published (data/kernels/ascend-950-platform-published.json)",
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
};

export const CHIP_FILES: ChipFile[] = [
  {
    id: "a100-sxm-80gb",
    family: "ampere",
    name: "NVIDIA A100 SXM4 80GB",
    vendor: "NVIDIA",
    year: 2020,
    peakTflops: { int8: 624, fp16: 312, bf16: 312, tf32: 156, fp32: 19.5 },
    formats: ["int8", "fp16", "bf16", "tf32", "fp32"],
    memoryGB: 80,
    memoryBandwidthTBps: 2.039,
    scaleUpBandwidthGBps: 300,
    scaleOutBandwidthGBps: 25,
    powerW: 400,
    memoryStreamingFraction: 0.791,
    sources: [
      {
        fields: ["memoryStreamingFraction"],
        source: AIC_GEMV,
        confidence: "S",
        note: "achieved / datasheet HBM bandwidth of the decode linear on this chip (the Ampere family serves at the generic assumption 0.8)",
      },
      {
        fields: ["peakTflops", "formats", "memoryGB", "memoryBandwidthTBps", "powerW"],
        source: A100_DS,
        confidence: "P",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: A100_DS,
        confidence: "P",
        note: "NVLink3 600 GB/s is both directions summed (12 links x 25 GB/s x 2): 300 GB/s per direction",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source: "NVIDIA DGX A100 user guide: 8 x ConnectX-6 HDR 200 Gb/s compute NICs per 8-GPU node",
        confidence: "P",
        note: "one 200 Gb/s port per GPU = 25 GB/s per direction",
      },
    ],
  },
  {
    id: "h100-sxm",
    family: "hopper",
    name: "NVIDIA H100 SXM5 80GB",
    vendor: "NVIDIA",
    year: 2022,
    peakTflops: { fp8: 1979, int8: 1979, fp16: 989, bf16: 989, tf32: 494.5, fp32: 67 },
    formats: ["fp8", "int8", "fp16", "bf16", "tf32", "fp32"],
    memoryGB: 80,
    memoryBandwidthTBps: 3.35,
    scaleUpBandwidthGBps: 450,
    scaleOutBandwidthGBps: 50,
    powerW: 700,
    memoryStreamingFraction: 0.851,
    hostLinkBandwidthGBps: 55.4,
    sources: [
      {
        fields: ["memoryStreamingFraction"],
        source: AIC_GEMV,
        confidence: "S",
        note: "achieved / datasheet HBM bandwidth of the decode linear on this chip (the Hopper/Blackwell family figure 0.8 is aiconfigurator's unmeasured default)",
      },
      {
        fields: ["hostLinkBandwidthGBps"],
        source:
          "zettasim kernel measurements, data/kernels/h200-2026-11-30.json (host_copy: pinned 1 GiB copies, 55.5 GB/s each way)",
        confidence: "A",
        note: "PCIe Gen5 x16 (64 GB/s per direction nominal) as measured on an H200 of the same board design",
      },
      {
        fields: ["peakTflops", "formats", "memoryGB", "memoryBandwidthTBps", "powerW"],
        source: H100_DS,
        confidence: "P",
        note: "datasheet tensor figures are with sparsity; dense = half",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: H100_DS,
        confidence: "P",
        note: "NVLink4 900 GB/s is both directions summed (18 links x 25 GB/s x 2): 450 GB/s per direction",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source: "NVIDIA DGX H100 datasheet: 8 x ConnectX-7 400 Gb/s compute ports per 8-GPU node",
        confidence: "P",
        note: "one 400 Gb/s NDR port per GPU = 50 GB/s per direction",
      },
    ],
  },
  {
    id: "h800-sxm",
    family: "hopper",
    name: "NVIDIA H800 SXM5 80GB",
    vendor: "NVIDIA",
    year: 2023,
    peakTflops: { fp8: 1979, int8: 1979, fp16: 989, bf16: 989, tf32: 494.5, fp32: 67 },
    formats: ["fp8", "int8", "fp16", "bf16", "tf32", "fp32"],
    memoryGB: 80,
    memoryBandwidthTBps: 3.35,
    scaleUpBandwidthGBps: 200,
    scaleOutBandwidthGBps: 50,
    powerW: 700,
    memoryStreamingFraction: 0.851,
    hostLinkBandwidthGBps: 55.4,
    sources: [
      {
        fields: ["memoryStreamingFraction"],
        source: AIC_GEMV,
        confidence: "A",
        note: "the H100 SXM's row: the same GH100 package with the same five HBM3 stacks at 3.35 TB/s (the H800 differs in NVLink only); no H800 table",
      },
      {
        fields: ["hostLinkBandwidthGBps"],
        source:
          "zettasim kernel measurements, data/kernels/h200-2026-11-30.json (host_copy: pinned 1 GiB copies, 55.5 GB/s each way)",
        confidence: "A",
        note: "PCIe Gen5 x16 as measured on an H200 of the same board design",
      },
      {
        fields: ["peakTflops", "formats", "memoryGB", "memoryBandwidthTBps", "powerW"],
        source: "NVIDIA H800 SXM5 product brief (export variant of H100: same SM array, HBM3 and power)",
        confidence: "S",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: "NVIDIA H800 SXM5 product brief: NVLink 400 GB/s (both directions)",
        confidence: "S",
        note: "200 GB/s per direction nominal; DeepSeek-V3 report (arXiv 2412.19437, Sec 3.2.2) measures about 160 GB/s usable, which validation cases give explicitly",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source: "DeepSeek-V3 technical report, arXiv 2412.19437, Sec 3.2.2: InfiniBand 50 GB/s per GPU",
        confidence: "P",
      },
    ],
  },
  {
    id: "h200-sxm",
    family: "hopper",
    name: "NVIDIA H200 SXM 141GB",
    vendor: "NVIDIA",
    year: 2024,
    peakTflops: { fp8: 1979, int8: 1979, fp16: 989, bf16: 989, tf32: 494.5, fp32: 67 },
    formats: ["fp8", "int8", "fp16", "bf16", "tf32", "fp32"],
    memoryGB: 141,
    memoryBandwidthTBps: 4.8,
    scaleUpBandwidthGBps: 450,
    scaleOutBandwidthGBps: 50,
    powerW: 700,
    memoryStreamingFraction: 0.831,
    hostLinkBandwidthGBps: 55.4,
    sources: [
      {
        fields: ["memoryStreamingFraction"],
        source: AIC_GEMV,
        confidence: "S",
        note: "achieved / datasheet HBM bandwidth of the decode linear on this chip (the Hopper/Blackwell family figure 0.8 is aiconfigurator's unmeasured default)",
      },
      {
        fields: ["hostLinkBandwidthGBps"],
        source:
          "zettasim kernel measurements, data/kernels/h200-2026-11-30.json (host_copy: pinned 1 GiB copies, 55.5 GB/s each way)",
        confidence: "P",
        note: "pinned host-to-device and device-to-host copies of 1 GiB",
      },
      {
        fields: ["peakTflops", "formats", "memoryGB", "memoryBandwidthTBps", "powerW"],
        source: H200_DS,
        confidence: "P",
        note: "datasheet tensor figures are with sparsity; dense = half",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: H200_DS,
        confidence: "P",
        note: "NVLink4 900 GB/s both directions = 450 GB/s per direction",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source: "NVIDIA HGX H200 reference: one ConnectX-7 400 Gb/s port per GPU",
        confidence: "S",
      },
    ],
  },
  {
    id: "h20",
    family: "hopper",
    name: "NVIDIA H20 96GB (Hopper, export-limited compute)",
    vendor: "NVIDIA",
    year: 2024,
    peakTflops: { fp8: 296, int8: 296, fp16: 148, bf16: 148 },
    formats: ["fp8", "int8", "fp16", "bf16", "fp32"],
    memoryGB: 96,
    memoryBandwidthTBps: 4.0,
    scaleUpBandwidthGBps: 450,
    scaleOutBandwidthGBps: 50,
    powerW: 400,
    sources: [
      {
        fields: ["peakTflops", "memoryGB", "memoryBandwidthTBps"],
        source:
          "LMSYS blog 2025-09-26 (Ant Group), Serving DeepSeek-R1 on H20-96G: H20 vs H800 table (FP8 296, BF16 148 TFLOPS, 96 GB)",
        confidence: "S",
        note: "dense figures; 4.0 TB/s HBM3 as in NVIDIA's H20 spec sheet copies",
      },
      {
        fields: ["scaleUpBandwidthGBps", "scaleOutBandwidthGBps", "powerW"],
        source: "NVIDIA H20 spec sheet copies (2024): NVLink 900 GB/s, 400 W",
        confidence: "A",
        note: "900 GB/s both directions = 450 per direction; one 400 Gb/s NIC per GPU assumed",
      },
    ],
  },
  {
    id: "b200",
    family: "blackwell",
    name: "NVIDIA B200 (HGX, 1 kW)",
    vendor: "NVIDIA",
    year: 2024,
    peakTflops: { fp4: 9000, fp8: 4500, int8: 4500, fp16: 2250, bf16: 2250, tf32: 1100, fp32: 75 },
    formats: ["fp4", "fp8", "int8", "fp16", "bf16", "tf32", "fp32"],
    memoryGB: 180,
    memoryBandwidthTBps: 8,
    scaleUpBandwidthGBps: 900,
    scaleOutBandwidthGBps: 50,
    powerW: 1000,
    memoryStreamingFraction: 0.811,
    hostLinkBandwidthGBps: 55.4,
    sources: [
      {
        fields: ["memoryStreamingFraction"],
        source: AIC_GEMV,
        confidence: "S",
        note: "achieved / datasheet HBM bandwidth of the decode linear on this chip (the Hopper/Blackwell family figure 0.8 is aiconfigurator's unmeasured default)",
      },
      {
        fields: ["hostLinkBandwidthGBps"],
        source:
          "zettasim kernel measurements, data/kernels/h200-2026-11-30.json (host_copy: pinned 1 GiB copies, 55.5 GB/s each way)",
        confidence: "A",
        note: "PCIe Gen5 x16 to the host CPU in HGX B200, taken at the rate measured on Hopper's",
      },
      {
        fields: ["peakTflops", "memoryGB", "memoryBandwidthTBps", "formats"],
        source: DGX_B200,
        confidence: "S",
        note: "per GPU = system / 8; sparse tensor figures halved for dense",
      },
      {
        fields: ["powerW"],
        source: "NVIDIA Blackwell architecture brief: B200 HGX up to 1,000 W",
        confidence: "S",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: "NVIDIA NVLink 5 page: 1.8 TB/s per GPU (both directions)",
        confidence: "P",
        note: "900 GB/s per direction",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source: "NVIDIA DGX B200 datasheet: 8 x ConnectX-7 400 Gb/s compute ports",
        confidence: "P",
      },
    ],
  },
  {
    id: "gb200",
    family: "blackwell",
    name: "NVIDIA B200 GPU in GB200 (one GPU of a Grace Blackwell superchip)",
    vendor: "NVIDIA",
    year: 2024,
    peakTflops: { fp4: 10000, fp8: 5000, int8: 5000, fp16: 2500, bf16: 2500, tf32: 1250, fp32: 80 },
    formats: ["fp4", "fp8", "int8", "fp16", "bf16", "tf32", "fp32"],
    memoryGB: 186,
    memoryBandwidthTBps: 8,
    scaleUpBandwidthGBps: 900,
    scaleOutBandwidthGBps: 50,
    powerW: 1200,
    memoryStreamingFraction: 0.829,
    hostLinkBandwidthGBps: 450,
    hostOpTimeRelative: GRACE_HOST_OP_TIME_RELATIVE,
    // Derived by scripts/fit/kernels-blackwell.ts (gb200SustainedRelative); blackwell-sustained.test.ts checks the two agree.
    gemmSustainedRelative: 0.908,
    sources: [
      {
        fields: ["memoryStreamingFraction"],
        source: AIC_GEMV,
        confidence: "S",
        note: "achieved / datasheet HBM bandwidth of the decode linear on this chip (the Hopper/Blackwell family figure 0.8 is aiconfigurator's unmeasured default)",
      },
      {
        fields: ["gemmSustainedRelative"],
        source:
          "Azure AI-benchmarking-guide, Azure_Results/ND_GB200_v6_results.md: cuBLASLt FP8 GEMMs after 10,000 warmup iterations (power-soaked) on GB200 185GB, CUDA 12.8: 2,835-2,907 TFLOPS at 4,096^3-32,768^3, against the Blackwell family's level (B200's soaked proportion at GB200's 5,000 peak); median ratio over shapes with every dimension >= 4,096 (scripts/fit/kernels-blackwell.ts, gb200SustainedRelative; data/kernels/sustained-gemm-clocks-published.json, azure_cublaslt_soaked). The same guide's H200 rows match mamf-finder's soaked H200 FP8 rate within 6%. BF16 takes FP8's share, as B200's soaked-over-burst ratio is the same for both (A)",
        confidence: "S",
        note: "0.908 x the family level. FP4 is not scaled: the same guide's FP4 rows (7,536-7,628 TFLOPS at 8,192^3-16,384^3) do not state the block-scaling format, and at 2.6x its FP8 rows they exceed the 2x FP4-over-FP8 peak ratio, which a power limit (FP4 costs less energy per FLOP) would allow but no second source checks; the family's FP4 level from NVIDIA's cuBLAS 12.9 figure stays",
      },
      {
        fields: ["hostOpTimeRelative"],
        source:
          "pytorch/pytorch issue 187862 (OpOverload.__call__ overhead, 2026-06-22): median per-call time of a PyTorch op dispatched through torch.ops, 197.4 ns on GB200's Grace against 181.7 ns on an H100 host (direct call 71.6 against 67.5 ns); data/kernels/moe-host-published.json, python_dispatch_host_grace_vs_x86",
        confidence: "S",
        note: "197.4 / 181.7 = 1.09. NVIDIA/TransformerEngine issue 2053's 2.75x (one torch.nn.Linear forward, 37.08 against 13.48 us, one user's GB200 against a DGX H100, 2025-08) is one call in one environment and is not used: with it the published GB200/GB300 Megatron MoE rows come out 65-164% too slow once the x86 per-expert host cost is taken from its profile (docs/training.md)",
      },
      {
        fields: ["hostLinkBandwidthGBps"],
        source: "NVIDIA GB200 NVL72 datasheet: NVLink-C2C 900 GB/s between Grace and each Blackwell GPU",
        confidence: "P",
        note: "900 GB/s bidirectional = 450 GB/s per direction",
      },
      {
        fields: ["peakTflops", "memoryGB", "memoryBandwidthTBps", "formats"],
        source: GB200_NVL72,
        confidence: "S",
        note: "per GPU = rack / 72; rack FP4/FP8/BF16 headlines count 2:4 sparsity, halved for dense (10 / 5 / 2.5 PF); 13.4 TB / 72 = 186 GB usable of 192 GB",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: GB200_NVL72,
        confidence: "P",
        note: "130 TB/s / 72 = 1.8 TB/s both directions = 900 GB/s per direction",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source: "NVIDIA GB200 NVL72 reference architecture: one ConnectX-7 400 Gb/s port per GPU",
        confidence: "S",
      },
      {
        fields: ["powerW"],
        source: "SemiAnalysis GB200 hardware architecture (2024): ~1,200 W per B200 in GB200",
        confidence: "A",
      },
    ],
  },
  {
    id: "gb300",
    family: "blackwell",
    name: "NVIDIA Blackwell Ultra GPU in GB300",
    vendor: "NVIDIA",
    year: 2025,
    peakTflops: { fp4: 15000, fp8: 5000, fp16: 2500, bf16: 2500, tf32: 1250, fp32: 80 },
    formats: ["fp4", "fp8", "fp16", "bf16", "tf32", "fp32"],
    memoryGB: 279,
    memoryBandwidthTBps: 8,
    scaleUpBandwidthGBps: 900,
    scaleOutBandwidthGBps: 100,
    powerW: 1400,
    memoryStreamingFraction: 0.814,
    hostLinkBandwidthGBps: 450,
    sfuExpRateRelative: 2,
    hostOpTimeRelative: GRACE_HOST_OP_TIME_RELATIVE,
    sources: [
      {
        fields: ["memoryStreamingFraction"],
        source: AIC_GEMV,
        confidence: "S",
        note: "achieved / datasheet HBM bandwidth of the decode linear on this chip (the Hopper/Blackwell family figure 0.8 is aiconfigurator's unmeasured default)",
      },
      {
        fields: ["hostOpTimeRelative"],
        source:
          "pytorch/pytorch issue 187862 (OpOverload.__call__ overhead, 2026-06-22): median per-call time of a PyTorch op dispatched through torch.ops, 197.4 ns on GB200's Grace against 181.7 ns on an H100 host (direct call 71.6 against 67.5 ns); data/kernels/moe-host-published.json, python_dispatch_host_grace_vs_x86",
        confidence: "S",
        note: "197.4 / 181.7 = 1.09. NVIDIA/TransformerEngine issue 2053's 2.75x (one torch.nn.Linear forward, 37.08 against 13.48 us, one user's GB200 against a DGX H100, 2025-08) is one call in one environment and is not used: with it the published GB200/GB300 Megatron MoE rows come out 65-164% too slow once the x86 per-expert host cost is taken from its profile (docs/training.md)",
      },
      {
        fields: ["sfuExpRateRelative"],
        source:
          "NVIDIA Technical Blog, Making Softmax More Efficient with NVIDIA Blackwell Ultra (developer.nvidia.com/blog/making-softmax-more-efficient-with-nvidia-blackwell-ultra): SFU (MUFU.EX2) throughput doubled over Blackwell (GB200); Inside NVIDIA Blackwell Ultra (attention-layer acceleration)",
        confidence: "P",
      },
      {
        fields: ["hostLinkBandwidthGBps"],
        source:
          "NVIDIA GB300 NVL72 datasheet: NVLink-C2C 900 GB/s between Grace and each Blackwell Ultra GPU",
        confidence: "P",
        note: "900 GB/s bidirectional = 450 GB/s per direction",
      },
      {
        fields: ["peakTflops.fp4", "memoryGB", "scaleOutBandwidthGBps", "formats"],
        source: GB300_NVL72,
        confidence: "S",
        note: "1,080 PF / 72 = 15 PF FP4 dense; 20 TB / 72 = 279 GB of 288 GB; ConnectX-8 800 Gb/s = 100 GB/s per direction",
      },
      {
        fields: [
          "peakTflops.fp8",
          "peakTflops.bf16",
          "peakTflops.fp16",
          "peakTflops.tf32",
          "peakTflops.fp32",
          "memoryBandwidthTBps",
          "powerW",
        ],
        source: "NVIDIA Blackwell Ultra technical blog (Aug 2025); shared/reference/hardware.md",
        confidence: "S",
        note: "FP8/BF16 unchanged from B200 in GB200; INT8 left out (cut sharply on Blackwell Ultra)",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: GB300_NVL72,
        confidence: "P",
        note: "130 TB/s / 72 = 1.8 TB/s both directions",
      },
    ],
  },
  {
    id: "b300",
    family: "blackwell",
    name: "NVIDIA B300 (HGX, Blackwell Ultra)",
    vendor: "NVIDIA",
    year: 2025,
    peakTflops: { fp4: 13500, fp8: 4500, fp16: 2250, bf16: 2250, tf32: 1125, fp32: 75 },
    formats: ["fp4", "fp8", "fp16", "bf16", "tf32", "fp32"],
    memoryGB: 288,
    memoryBandwidthTBps: 8,
    scaleUpBandwidthGBps: 900,
    scaleOutBandwidthGBps: 100,
    powerW: 1100,
    memoryStreamingFraction: 0.804,
    sfuExpRateRelative: 2,
    sources: [
      {
        fields: ["memoryStreamingFraction"],
        source: AIC_GEMV,
        confidence: "S",
        note: "achieved / datasheet HBM bandwidth of the decode linear on this chip (the Hopper/Blackwell family figure 0.8 is aiconfigurator's unmeasured default)",
      },
      {
        fields: ["peakTflops", "formats"],
        source: HGX_B300,
        confidence: "S",
        note: "per GPU = baseboard / 8: FP4 108 PF dense = 13.5 PF; FP8 72 PF, BF16 36 PF, TF32 18 PF are with sparsity, halved for dense (4.5 / 2.25 / 1.125 PF); FP32 600 TF = 75 TF; INT8 (2 POPS sparse for 8 GPUs) left out as on gb300",
      },
      {
        fields: ["memoryGB", "memoryBandwidthTBps"],
        source: HGX_B300,
        confidence: "S",
        note: "2.3 TB HBM3e per 8-GPU baseboard = 288 GB per GPU (12-high stacks); 8 TB/s per GPU as on B200 and GB300",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: HGX_B300,
        confidence: "P",
        note: "NVLink 5 GPU-to-GPU 1.8 TB/s both directions = 900 GB/s per direction (14.4 TB/s per baseboard)",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source: HGX_B300,
        confidence: "S",
        note: "one ConnectX-8 SuperNIC at 800 Gb/s per GPU (1.6 TB/s networking per baseboard counts both directions) = 100 GB/s per direction",
      },
      {
        fields: ["sfuExpRateRelative"],
        source:
          "NVIDIA Technical Blog, Making Softmax More Efficient with NVIDIA Blackwell Ultra: SFU (MUFU.EX2) throughput doubled over Blackwell; B300 is the same Blackwell Ultra silicon as GB300's GPU",
        confidence: "P",
      },
      {
        fields: ["powerW"],
        source:
          "OEM HGX B300 specification sheets and SemiAnalysis (2025): 1,100 W per GPU on the air-cooled HGX B300 board (GB300's GPU runs at 1,400 W)",
        confidence: "A",
      },
    ],
  },
  {
    id: "rubin",
    family: "rubin",
    name: "NVIDIA Rubin GPU die (half of a Rubin package)",
    vendor: "NVIDIA",
    year: 2026,
    peakTflops: { fp4: 25000, fp8: 8333, bf16: 4167, fp16: 4167 },
    formats: ["fp4", "fp8", "fp16", "bf16", "fp32"],
    memoryGB: 144,
    memoryBandwidthTBps: 6.5,
    scaleUpBandwidthGBps: 900,
    scaleOutBandwidthGBps: 100,
    powerW: 900,
    sources: [
      {
        fields: [
          "peakTflops.fp4",
          "peakTflops.fp8",
          "memoryGB",
          "memoryBandwidthTBps",
          "scaleUpBandwidthGBps",
        ],
        source: VR_NVL144,
        confidence: "S",
        note: "one entry = one die, the unit Nvidia counts in NVL144: 3.6 EF / 144 = 25 PF NVFP4; 1.2 EF / 144 = 8.33 PF FP8; 288 GB and 13 TB/s per two-die package; 260 TB/s / 144 = 1.8 TB/s both directions = 900 GB/s per direction",
      },
      {
        fields: ["peakTflops.bf16", "peakTflops.fp16", "formats"],
        source: "assumption",
        confidence: "A",
        note: "not published; half of FP8 as on every Nvidia generation since Hopper",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source: "NVIDIA ConnectX-9 SuperNIC announcement (GTC 2025): 1.6 Tb/s per Rubin package",
        confidence: "A",
        note: "200 GB/s per package shared by its two dies",
      },
      {
        fields: ["powerW"],
        source: "assumption",
        confidence: "A",
        note: "not published; ~1.8 kW per package reported by trade press, half per die",
      },
    ],
  },
  {
    id: "mi300x",
    family: "cdna",
    name: "AMD Instinct MI300X (OAM, 750 W)",
    vendor: "AMD",
    year: 2023,
    peakTflops: { fp8: 2614.9, int8: 2614.9, fp16: 1307.4, bf16: 1307.4, tf32: 653.7, fp32: 163.4 },
    formats: ["fp8", "int8", "fp16", "bf16", "tf32", "fp32"],
    memoryGB: 192,
    memoryBandwidthTBps: 5.3,
    scaleUpBandwidthGBps: 448,
    scaleOutBandwidthGBps: 50,
    powerW: 750,
    // AMD's max-achievable FLOPS on MI300X over the CDNA family level (the median over MI300X, MI325X, MI355X):
    // fp8 (1,273 / 2,614.9) / 0.5772 = 0.843, bf16 (708 / 1,307.4) / 0.6409 = 0.845 (data/kernels/cdna-maf-2025.json;
    // src/catalog/families/cdna.test.ts recomputes it).
    gemmSustainedRelative: 0.844,
    sources: [
      {
        fields: ["gemmSustainedRelative"],
        source:
          "AMD ROCm blog, Measuring Max-Achievable FLOPs - Part 2 (rocm.blogs.amd.com/software-tools-optimization/measuring-max-achievable-flops-part2, 2025), AMD MAF Results: hipBLASLt-bench at an optimal large shape, median clock under load; MI300X 708 bf16 / 1,273 fp8 TFLOPS against MI325X's 843 / 1,519 on the same die and peaks (data/kernels/cdna-maf-2025.json, gemm_maf)",
        confidence: "S",
        note: "0.844 x the CDNA family level (the mean of the bf16 and fp8 ratios, 0.845 and 0.843): the 750 W MI300X sustains a lower clock under a long GEMM than the 1 kW MI325X whose figures set the family median; MI325X and MI355X sit within 0.7% of the family level and keep it",
      },
      {
        fields: ["peakTflops", "formats", "memoryGB", "memoryBandwidthTBps", "powerW"],
        source: MI300X_DS,
        confidence: "P",
        note: "dense figures (AMD quotes sparsity separately, at twice these)",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: MI300X_DS,
        confidence: "P",
        note: "7 Infinity Fabric (xGMI) links to the other 7 GPUs of a fully connected 8-GPU platform, 128 GB/s per link both directions (896 GB/s aggregate): 7 x 64 = 448 GB/s per direction per GPU; one peer is reached over one link, 64 GB/s per direction",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source:
          "AMD Instinct MI300X platform reference and Azure ND MI300X v5 (8 x 400 Gb/s NDR InfiniBand per 8-GPU VM, learn.microsoft.com)",
        confidence: "S",
        note: "one 400 Gb/s NIC per GPU = 50 GB/s per direction",
      },
    ],
  },
  {
    id: "mi325x",
    family: "cdna",
    name: "AMD Instinct MI325X (OAM, 1 kW)",
    vendor: "AMD",
    year: 2024,
    peakTflops: { fp8: 2614.9, int8: 2614.9, fp16: 1307.4, bf16: 1307.4, tf32: 653.7, fp32: 163.4 },
    formats: ["fp8", "int8", "fp16", "bf16", "tf32", "fp32"],
    memoryGB: 256,
    memoryBandwidthTBps: 6,
    scaleUpBandwidthGBps: 448,
    scaleOutBandwidthGBps: 50,
    powerW: 1000,
    sources: [
      {
        fields: ["peakTflops", "formats", "memoryGB", "memoryBandwidthTBps", "powerW"],
        source: MI325X_DS,
        confidence: "P",
        note: "same CDNA 3 compute die as MI300X (304 CUs, same peaks); 256 GB HBM3E at 6 TB/s; 1,000 W",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: MI325X_DS,
        confidence: "P",
        note: "7 Infinity Fabric links x 128 GB/s both directions (896 GB/s aggregate), fully connected 8-GPU platform: 448 GB/s per direction",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source: "AMD Instinct MI325X platform (8 GPUs, one 400 Gb/s NIC per GPU in OEM configurations)",
        confidence: "S",
        note: "50 GB/s per direction",
      },
    ],
  },
  {
    id: "mi355x",
    family: "cdna",
    name: "AMD Instinct MI355X (OAM, 1.4 kW, liquid-cooled)",
    vendor: "AMD",
    year: 2025,
    peakTflops: { fp4: 10066, fp8: 5033, int8: 5033, fp16: 2516.6, bf16: 2516.6, fp32: 157.3 },
    formats: ["fp4", "fp8", "int8", "fp16", "bf16", "fp32"],
    memoryGB: 288,
    memoryBandwidthTBps: 8,
    scaleUpBandwidthGBps: 537.6,
    scaleOutBandwidthGBps: 50,
    powerW: 1400,
    sources: [
      {
        fields: ["peakTflops", "formats", "memoryGB", "memoryBandwidthTBps", "powerW"],
        source: MI355X_DS,
        confidence: "P",
        note: "dense figures; MXFP6 runs at the MXFP4 rate (10.1 PF; the catalog has no fp6 field); TF32 is not a CDNA 4 matrix format and is left out",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: MI355X_DS,
        confidence: "P",
        note: "7 Infinity Fabric links x 153.6 GB/s both directions (1,075 GB/s aggregate), fully connected 8-GPU platform: 537.6 GB/s per direction",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source:
          "AMD Instinct MI355X platform (8 GPUs with one 400 Gb/s Pollara or ConnectX-7 NIC each in MLPerf Training v5.1 submissions)",
        confidence: "A",
        note: "50 GB/s per direction",
      },
    ],
  },
  {
    id: "mi350x",
    family: "cdna",
    name: "AMD Instinct MI350X (OAM, 1 kW, air-cooled)",
    vendor: "AMD",
    year: 2025,
    peakTflops: { fp4: 9227.5, fp8: 4613.8, int8: 4613.8, fp16: 2306.9, bf16: 2306.9, fp32: 144.2 },
    formats: ["fp4", "fp8", "int8", "fp16", "bf16", "fp32"],
    memoryGB: 288,
    memoryBandwidthTBps: 8,
    scaleUpBandwidthGBps: 537.6,
    scaleOutBandwidthGBps: 50,
    powerW: 1000,
    sources: [
      {
        fields: ["peakTflops", "formats", "memoryGB", "memoryBandwidthTBps", "powerW"],
        source: MI350X_DS,
        confidence: "P",
        note: "dense figures; the MI355X's peaks scaled by the clock ratio 2,200 / 2,400 match them (2,516.6 x 0.9167 = 2,306.9 TF BF16); MXFP6 runs at the MXFP4 rate; TF32 is not a CDNA 4 matrix format",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: MI350X_DS,
        confidence: "P",
        note: "7 Infinity Fabric links x 153.6 GB/s both directions, fully connected 8-GPU platform: 537.6 GB/s per direction (as MI355X)",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source:
          "AMD Instinct MI350 series platform (8 GPUs with one 400 Gb/s NIC each in OEM configurations)",
        confidence: "A",
        note: "50 GB/s per direction; the MLPerf Training v5.1 MI350X system ran on one node",
      },
    ],
  },
  {
    id: "tpu-v4",
    family: "tpu",
    name: "Google TPU v4",
    vendor: "Google",
    year: 2021,
    peakTflops: { int8: 275, bf16: 275 },
    formats: ["int8", "bf16", "fp32"],
    memoryGB: 32,
    memoryBandwidthTBps: 1.2,
    scaleUpBandwidthGBps: 270,
    scaleOutBandwidthGBps: 6.25,
    powerW: 192,
    matrixUnitWidth: 128,
    sources: [
      {
        fields: ["matrixUnitWidth"],
        source: TPU_MXU_DOC,
        confidence: "P",
      },
      {
        fields: ["peakTflops", "formats", "memoryGB", "memoryBandwidthTBps"],
        source: TPU_V4_PAPER,
        confidence: "P",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: SCALING_BOOK,
        confidence: "S",
        note: "6 ICI links x 45 GB/s per direction",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source: SCALING_BOOK,
        confidence: "A",
        note: "data-center network share per chip between pods; the book gives 6.25e9 B/s for v5p, taken for v4 too",
      },
      {
        fields: ["powerW"],
        source: TPU_V4_PAPER,
        confidence: "A",
        note: "paper gives 170 W mean, 192 W max per chip",
      },
    ],
  },
  {
    id: "tpu-v5p",
    family: "tpu",
    name: "Google TPU v5p",
    vendor: "Google",
    year: 2023,
    peakTflops: { int8: 918, bf16: 459 },
    formats: ["int8", "bf16", "fp32"],
    memoryGB: 95,
    memoryBandwidthTBps: 2.765,
    scaleUpBandwidthGBps: 540,
    scaleOutBandwidthGBps: 6.25,
    powerW: 450,
    matrixUnitWidth: 128,
    sources: [
      {
        fields: ["matrixUnitWidth"],
        source: TPU_MXU_DOC,
        confidence: "P",
      },
      {
        fields: ["peakTflops", "formats", "memoryGB", "memoryBandwidthTBps"],
        source: TPU_V5P_DOC,
        confidence: "P",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: SCALING_BOOK,
        confidence: "S",
        note: "6 ICI links x 90 GB/s per direction (Google's 4,800 Gb/s per chip counts both directions of 3 link pairs)",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source: SCALING_BOOK,
        confidence: "A",
        note: "DCN 6.25e9 B/s per chip",
      },
      {
        fields: ["powerW"],
        source: "assumption",
        confidence: "A",
        note: "not published; v4 at 192 W scaled by HBM stacks and compute, ~450 W",
      },
    ],
  },
  {
    id: "tpu-v5e",
    family: "tpu",
    name: "Google TPU v5e",
    vendor: "Google",
    year: 2023,
    peakTflops: { int8: 393, bf16: 197 },
    formats: ["int8", "bf16", "fp32"],
    memoryGB: 16,
    memoryBandwidthTBps: 0.819,
    scaleUpBandwidthGBps: 200,
    scaleOutBandwidthGBps: 3.125,
    powerW: 200,
    matrixUnitWidth: 128,
    vectorMemoryMiB: 128,
    sources: [
      {
        fields: ["matrixUnitWidth"],
        source: TPU_MXU_DOC,
        confidence: "P",
        note: "one TensorCore with four 128 x 128 MXUs (TPU v5e documentation, System architecture)",
      },
      {
        fields: ["vectorMemoryMiB"],
        source: SCALING_BOOK_TPUS,
        confidence: "P",
        note: "'VMEM (Vector Memory) is an on-chip scratchpad located in the TensorCore ... (for example, 128 MiB on TPU v5e)'",
      },
      {
        fields: ["peakTflops", "formats", "memoryGB", "memoryBandwidthTBps", "scaleUpBandwidthGBps"],
        source: TPU_V5E_DOC,
        confidence: "P",
        note: "400 GB/s bidirectional ICI over 4 ports = 200 GB/s per direction; the page gives HBM bandwidth as both 819 GB/s and 800 GiB/s (859 GB/s): 819 taken",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source: TPU_V5E_DOC,
        confidence: "S",
        note: "2 x 100 Gb/s NICs per 8-chip host = 25 Gb/s = 3.125 GB/s per chip (6.4 Tb/s data-center network per 256-chip pod)",
      },
      {
        fields: ["powerW"],
        source: "assumption",
        confidence: "A",
        note: "not published by Google; a quarter-size v5p-class chip, ~200 W; it enters no step time",
      },
    ],
  },
  {
    id: "tpu-v6e",
    family: "tpu",
    name: "Google TPU v6e (Trillium)",
    vendor: "Google",
    year: 2024,
    peakTflops: { int8: 1836, bf16: 918 },
    formats: ["int8", "bf16", "fp32"],
    memoryGB: 32,
    memoryBandwidthTBps: 1.638,
    scaleUpBandwidthGBps: 400,
    scaleOutBandwidthGBps: 12.5,
    powerW: 450,
    matrixUnitWidth: 256,
    sources: [
      {
        fields: ["matrixUnitWidth"],
        source: TPU_V6E_DOC,
        confidence: "P",
        note: "each TensorCore holds two 256 x 256 MXUs",
      },
      {
        fields: ["peakTflops", "formats", "memoryGB", "memoryBandwidthTBps", "scaleUpBandwidthGBps"],
        source: TPU_V6E_DOC,
        confidence: "P",
        note: "800 GB/s bidirectional ICI per chip over 4 ports = 400 GB/s per direction; 2D torus, 256-chip pod, 8 chips per host",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source:
          "Austin et al., How to Scale Your Model (jax-ml.github.io/scaling-book), TPU chapter: v6e data-center network 12.5e9 B/s per chip",
        confidence: "S",
      },
      {
        fields: ["powerW"],
        source: "assumption",
        confidence: "A",
        note: "not published by Google; the v5p figure carried, as the validation cases' inline v6e does; it enters no step time",
      },
    ],
  },
  {
    id: "tpu7x",
    family: "tpu",
    devicesPerPackage: 2,
    name: "Google TPU7x (Ironwood)",
    vendor: "Google",
    year: 2025,
    peakTflops: { fp8: 4614, bf16: 2307 },
    formats: ["fp8", "bf16", "fp32"],
    memoryGB: 192,
    memoryBandwidthTBps: 7.38,
    scaleUpBandwidthGBps: 600,
    scaleOutBandwidthGBps: 12.5,
    powerW: 450,
    matrixUnitWidth: 256,
    sources: [
      {
        fields: ["peakTflops", "formats", "memoryGB", "devicesPerPackage"],
        source: TPU7X_DOC,
        confidence: "P",
        note: "192 GiB per chip entered as the catalog enters v5p's 95 GiB; two TensorCores per chip, each its own JAX device",
      },
      {
        fields: ["memoryBandwidthTBps"],
        source:
          "ML Hyperpolyglot accelerator table (jeffcarp.github.io/ml-hyperpolyglot/accelerators.html): 7,380 GB/s; The Register: 7.4 TB/s",
        confidence: "S",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: "The Register (Ironwood, 2025): four ICI links per chip, 9.6 Tb/s aggregate bidirectional",
        confidence: "S",
        note: "9.6 Tb/s = 1,200 GB/s both directions = 600 GB/s per direction",
      },
      {
        fields: ["matrixUnitWidth"],
        source: "assumption",
        confidence: "A",
        note: "Google's TPU7x page gives no MXU dimensions; taken as v6e's 256 x 256 (TPU v6e documentation), the generation Ironwood follows. Added to the TPU7x holdout cases after that holdout was inspected (docs/training.md, MXU width)",
      },
      {
        fields: ["scaleOutBandwidthGBps", "powerW"],
        source: "assumption",
        confidence: "A",
        note: "not published: v6e's data-center network share and v5p's power; single-slice runs do not use the data-center network and power enters no step time",
      },
    ],
  },
  {
    id: "ascend-910b",
    family: "ascend-910",
    name: "Huawei Ascend 910B",
    vendor: "Huawei",
    year: 2023,
    peakTflops: { int8: 640, fp16: 320, bf16: 320 },
    formats: ["int8", "fp16", "bf16", "fp32"],
    memoryGB: 64,
    memoryBandwidthTBps: 1.6,
    scaleUpBandwidthGBps: 196,
    scaleOutBandwidthGBps: 25,
    powerW: 400,
    sources: [
      {
        fields: ["peakTflops", "formats", "memoryGB", "memoryBandwidthTBps", "powerW"],
        source:
          "Huawei Atlas 800T A2 training server specification; secondary summaries of the 910B (910B2 bin)",
        confidence: "S",
        note: "about 320 TFLOPS FP16/BF16 dense depending on bin (280-376); 64 GB HBM2e",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: "Huawei Atlas 800T A2 specification: HCCS 392 GB/s per NPU (8-NPU full mesh)",
        confidence: "S",
        note: "392 GB/s read as both directions summed: 196 GB/s per direction",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source: "Huawei Atlas 800T A2 specification: 8 x 200GE RoCE ports per 8-NPU server",
        confidence: "S",
      },
    ],
  },
  ASCEND_910B4_1,
  {
    ...ASCEND_910B4_1,
    // The 32 GB 910B4 the first Atlas 800I A2 servers carried (HAMi issue 1497: the 910B4-1's memory was raised from
    // the B4's 32 GB): the same cores, clock and core read rate as the 910B4-1 in CANN's platform descriptions, so the
    // same speed figures; only the HBM capacity differs. data/kernels/ascend-910b-bins-published.json.
    id: "ascend-910b4",
    name: "Huawei Ascend 910B4 (32 GB; early Atlas 800I A2)",
    memoryGB: 32,
    sources: [
      {
        fields: ["peakTflops", "formats", "memoryGB"],
        source:
          "CANN platform description Ascend910B4.ini (github.com/hicann/runtime src/platform/platform_config/cann/, commit 494dda36): cube_core_cnt 20, cube_freq 1500 MHz, 16 x 16 x 16 cube, memory_size 34,359,738,368 B (32 GiB)",
        confidence: "S",
        note: "the same cube product as the 910B4-1 (245.76 TFLOP/s fp16/bf16); Ascend/torchair's Llama README (npu_tuned_model/llm/models/llama2&llama3/README.md at e5391fc8) ran its 800I A2 tables on 'B4' NPUs with 'device内存（约29G）' usable",
      },
      {
        fields: ["memoryBandwidthTBps"],
        source:
          "assumption from the CANN platform descriptions, as ascend-910b4-1 (data/kernels/ascend-910b-bins-published.json)",
        confidence: "A",
        note: "no HBM figure published for the 910B4 bins; the cores' read rate is the 910B4-1's (0.96 TB/s), so the same 1.11 TB/s",
      },
      {
        fields: ["scaleUpBandwidthGBps", "scaleOutBandwidthGBps", "powerW"],
        source: "assumption: the Atlas 800T A2's HCCS full mesh and RoCE ports (ascend-910b)",
        confidence: "A",
        note: "as ascend-910b4-1; power enters no step time",
      },
    ],
  },
  {
    id: "ascend-910c",
    family: "ascend-910",
    devicesPerPackage: 2,
    name: "Huawei Ascend 910C (two dies)",
    vendor: "Huawei",
    year: 2025,
    peakTflops: { int8: 1504, fp16: 752, bf16: 752 },
    formats: ["int8", "fp16", "bf16", "fp32"],
    memoryGB: 128,
    memoryBandwidthTBps: 3.2,
    scaleUpBandwidthGBps: 392,
    scaleOutBandwidthGBps: 50,
    powerW: 800,
    sources: [
      {
        fields: ["peakTflops", "formats", "memoryGB", "memoryBandwidthTBps"],
        source: CM384,
        confidence: "S",
        note: "two dies x ~376 TFLOPS BF16; INT8 twice BF16; 128 GB at 3.2 TB/s per package",
      },
      {
        fields: ["scaleUpBandwidthGBps", "scaleOutBandwidthGBps"],
        source: CM384,
        confidence: "S",
        note: "UB > 392 GB/s per NPU per direction; RDMA plane 400 Gb/s per NPU = 50 GB/s",
      },
      {
        fields: ["powerW"],
        source: "assumption",
        confidence: "A",
        note: "not published; CloudMatrix384 draws about 559 kW for 384 NPUs all-in (SemiAnalysis), of which ~800 W per package is the NPU",
      },
      {
        fields: ["devicesPerPackage"],
        source:
          "Zuo et al., Serving Large Language Models on Huawei CloudMatrix384, arXiv 2506.12708, Sec. 3: each 910C package holds two dies that software drives as two NPUs (EP320 over 160 packages)",
        confidence: "P",
      },
    ],
  },
  {
    id: "ascend-950pr",
    family: "ascend-950",
    name: "Huawei Ascend 950PR",
    vendor: "Huawei",
    year: 2026,
    peakTflops: { fp4: 2000, fp8: 1000, int8: 1000, bf16: 500, fp16: 500 },
    formats: ["fp4", "fp8", "int8", "bf16", "fp16", "fp32"],
    memoryGB: 128,
    memoryBandwidthTBps: 1.6,
    scaleUpBandwidthGBps: 1000,
    scaleOutBandwidthGBps: 100,
    powerW: 900,
    sources: [
      {
        fields: ["peakTflops.fp8", "peakTflops.fp4", "memoryGB", "memoryBandwidthTBps", "formats"],
        source: HC2025,
        confidence: "S",
        note: "FP8/MXFP8/HiF8 1 PFLOPS, MXFP4 2 PFLOPS; 128 GB HiBL 1.0 at 1.6 TB/s",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: HC2025,
        confidence: "S",
        note: "2 TB/s interconnect read as both directions (2.5x the 910C's 784 GB/s = 2 x 392): 1 TB/s per direction",
      },
      {
        fields: ["peakTflops.bf16", "peakTflops.fp16", "peakTflops.int8"],
        source: "assumption",
        confidence: "A",
        note: "half of the keynote's FP8, INT8 equal to FP8: the ratios CANN's platform descriptions give (FP8 and INT8 tiles twice the bf16 one; data/kernels/ascend-950-platform-published.json); no 950PR bin there gives 500: 378.5 (28 cores), 432.5 (32), 530.8 (36 at 1.8 GHz)",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source: "assumption",
        confidence: "A",
        note: "not published; one 800 Gb/s UBoE/RoCE port per NPU",
      },
      {
        fields: ["powerW"],
        source: "assumption",
        confidence: "A",
        note: "not published; 950DT's assumed 1 kW less the lighter low-cost HBM",
      },
    ],
  },
  ASCEND_950DT,
  {
    ...ASCEND_950DT,
    id: "ascend-950dt-cann",
    name: "Huawei Ascend 950DT (32-core Server tier, CANN config peaks)",
    peakTflops: { fp4: 1730.2, fp8: 865.1, int8: 865.1, bf16: 432.5, fp16: 432.5 },
    sources: [
      {
        fields: ["peakTflops.bf16", "peakTflops.fp16", "peakTflops.fp8", "peakTflops.fp4"],
        source: `${CANN_950}; ${ASCEND_950_WHITEPAPER}`,
        confidence: "S",
        note: "Ascend950DT_9581 (32 cube cores at 1,650 MHz, 144 GiB): 32 x 4,096 x 2 x 1.65 GHz = 432.5 bf16; x2 FP8 = 865.1, x4 FP4 = 1,730.2; the whitepaper's Server tier (432 / 865 / 1,730) and Huawei's DrivingSDK predictor table (950DT 432 TFLOPS cube FP16) agree. The keynote's 1 PFLOPS FP8 is the ascend-950dt entry",
      },
      {
        fields: ["peakTflops.int8"],
        source: CANN_950,
        confidence: "A",
        note: "INT8's tile (16x32x16) is the FP8 one, so INT8 is read at the FP8 rate; the whitepaper lists INT8 separately and its figure was not quoted",
      },
      {
        fields: ["memoryGB", "memoryBandwidthTBps", "formats", "scaleUpBandwidthGBps"],
        source: HC2025,
        confidence: "S",
        note: "as ascend-950dt (144 GB at 4 TB/s; the config's 144 GiB and its cube cores' read ceiling, 32 x 80 B/cycle x 1.65 GHz = 4.22 TB/s, are not used); 2 TB/s interconnect both ways",
      },
      {
        fields: ["scaleOutBandwidthGBps", "powerW"],
        source: "assumption",
        confidence: "A",
        note: "as ascend-950dt: 800 Gb/s port per NPU, ~1 kW",
      },
    ],
  },
  {
    id: "ascend-960",
    family: "ascend-950",
    name: "Huawei Ascend 960",
    vendor: "Huawei",
    year: 2027,
    peakTflops: { fp4: 4000, fp8: 2000, int8: 2000, bf16: 1000, fp16: 1000 },
    formats: ["fp4", "fp8", "int8", "bf16", "fp16", "fp32"],
    memoryGB: 288,
    memoryBandwidthTBps: 9.6,
    scaleUpBandwidthGBps: 1100,
    scaleOutBandwidthGBps: 200,
    powerW: 1400,
    sources: [
      {
        fields: ["peakTflops.fp8", "peakTflops.fp4", "memoryGB", "memoryBandwidthTBps", "formats"],
        source: HC2025,
        confidence: "S",
        note: "FP8 2 PFLOPS, FP4 (HiF4) 4 PFLOPS, 288 GB at 9.6 TB/s",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: HC2025,
        confidence: "S",
        note: "2.2 TB/s interconnect, both directions: 1.1 TB/s per direction; 15,488 x 2.2 TB/s = 34.1 PB/s matches the SuperPoD's 34 PB/s",
      },
      {
        fields: ["peakTflops.bf16", "peakTflops.fp16", "peakTflops.int8"],
        source: "assumption",
        confidence: "A",
        note: "not published; BF16 half of FP8, INT8 equal to FP8, the ratios the 950's CANN platform descriptions give (data/kernels/ascend-950-platform-published.json)",
      },
      {
        fields: ["scaleOutBandwidthGBps"],
        source: "assumption",
        confidence: "A",
        note: "not published; 1.6 Tb/s port per NPU, one Ethernet generation after the 950",
      },
      {
        fields: ["powerW"],
        source: "assumption",
        confidence: "A",
        note: "not published; twice the 950DT's compute on a similar process, ~1.4 kW",
      },
    ],
  },
  {
    id: "ascend-970",
    family: "ascend-950",
    name: "Huawei Ascend 970",
    vendor: "Huawei",
    year: 2028,
    peakTflops: { fp4: 8000, fp8: 4000, int8: 4000, bf16: 2000, fp16: 2000 },
    formats: ["fp4", "fp8", "int8", "bf16", "fp16", "fp32"],
    memoryGB: 288,
    memoryBandwidthTBps: 14.4,
    scaleUpBandwidthGBps: 2000,
    scaleOutBandwidthGBps: 200,
    powerW: 2000,
    sources: [
      {
        fields: ["peakTflops.fp8", "peakTflops.fp4", "memoryBandwidthTBps", "formats"],
        source: HC2025,
        confidence: "S",
        note: "FP8 4 PFLOPS, FP4 8 PFLOPS, 14.4 TB/s memory bandwidth",
      },
      {
        fields: ["scaleUpBandwidthGBps"],
        source: HC2025,
        confidence: "S",
        note: "4 TB/s interconnect, both directions: 2 TB/s per direction",
      },
      {
        fields: ["memoryGB"],
        source: "assumption",
        confidence: "A",
        note: "capacity not published; kept at the 960's 288 GB",
      },
      {
        fields: ["peakTflops.bf16", "peakTflops.fp16", "peakTflops.int8"],
        source: "assumption",
        confidence: "A",
        note: "not published; BF16 half of FP8, INT8 equal to FP8, the ratios the 950's CANN platform descriptions give (data/kernels/ascend-950-platform-published.json)",
      },
      {
        fields: ["scaleOutBandwidthGBps", "powerW"],
        source: "assumption",
        confidence: "A",
        note: "not published; scale-out as the 960; power ~2 kW for twice the 960's compute",
      },
    ],
  },
];
