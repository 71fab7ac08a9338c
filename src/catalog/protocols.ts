// Link protocols with their header efficiency and static latency; tiers name one of these by id.
import type { ProtocolFile } from "../schema/hardware.js";

export const PROTOCOL_FILES: ProtocolFile[] = [
  {
    id: "nvlink",
    name: "NVLink (NVSwitch)",
    headerEfficiency: 0.94,
    staticLatencyUs: 0.5,
    sources: [
      {
        fields: ["headerEfficiency", "staticLatencyUs"],
        source:
          "NVLink packet format (16 B header per up-to-256 B flit payload); NCCL tests show ~0.5 us small-message NVLink latency",
        confidence: "A",
      },
    ],
  },
  {
    id: "unifiedbus",
    name: "UnifiedBus 2.0 (UB)",
    headerEfficiency: 0.95,
    staticLatencyUs: 0.2,
    sources: [
      {
        fields: ["headerEfficiency", "staticLatencyUs"],
        source:
          "CloudMatrix384, arXiv 2506.12708: UB < 1 us between nodes, < 3% bandwidth loss; Huawei Connect 2025 UB 2.0 claims",
        confidence: "A",
        note: "3% loss read as header efficiency ~0.95-0.97; per-hop static latency assumed 200 ns",
      },
    ],
  },
  {
    id: "uboe",
    name: "UB over Ethernet (UBoE)",
    headerEfficiency: 0.93,
    staticLatencyUs: 1.5,
    sources: [
      {
        fields: ["headerEfficiency", "staticLatencyUs"],
        source: "Huawei Connect 2025: UBoE claims lower static latency than RoCE; no ratio published",
        confidence: "A",
        note: "Assumed: Ethernet framing (~0.93 at 4 KiB MTU) with UB transaction layer; half of RoCE's static stack latency",
      },
    ],
  },
  {
    id: "roce",
    name: "RoCEv2",
    headerEfficiency: 0.93,
    staticLatencyUs: 3,
    sources: [
      {
        fields: ["headerEfficiency", "staticLatencyUs"],
        source:
          "RoCEv2 framing: Eth+IP+UDP+BTH+ICRC ~ 66 B per 4 KiB MTU plus preamble/IFG; typical 2-4 us end-to-end verbs latency (MegaScale arXiv 2402.15627)",
        confidence: "A",
      },
    ],
  },
  {
    id: "infiniband",
    name: "InfiniBand (HDR/NDR/XDR)",
    headerEfficiency: 0.95,
    staticLatencyUs: 2,
    sources: [
      {
        fields: ["headerEfficiency", "staticLatencyUs"],
        source:
          "IB framing: LRH+BTH+CRC ~ 30 B per 4 KiB MTU; NVIDIA Quantum switch ~ 130 ns/hop, ~2 us end-to-end verbs latency",
        confidence: "A",
      },
    ],
  },
  {
    id: "ici",
    name: "TPU inter-chip interconnect (ICI)",
    headerEfficiency: 0.95,
    staticLatencyUs: 1,
    sources: [
      {
        fields: ["headerEfficiency"],
        source: "TPU v4 paper, arXiv 2304.01433 (ICI links, OCS); framing overhead not published",
        confidence: "A",
      },
      {
        fields: ["staticLatencyUs"],
        source:
          "How to Scale Your Model (jax-ml/scaling-book 0819a7d8, sharding.md, 'A note on ICI latency'): each hop over an ICI link has an intrinsic overhead of typically around 1 us",
        confidence: "S",
        note: "Google's stated round figure per hop, not a measured sweep; data/kernels/tpu-ici-collective-latency.json",
      },
    ],
  },
  {
    id: "xgmi",
    name: "AMD Infinity Fabric (xGMI) between Instinct GPUs",
    headerEfficiency: 0.75,
    staticLatencyUs: 1,
    sources: [
      {
        fields: ["headerEfficiency"],
        source:
          "ROCm/rccl issue 1210 (AMD RCCL engineer, 2024): after protocol and error-correction overheads an MI300X xGMI link carries at most 48 GB/s per direction of its 64 GB/s; RCCL's topology code (ncclTopoXGMISpeed) rates it so",
        confidence: "S",
        note: "48 / 64 = 0.75; taken for MI355X's faster links too (A)",
      },
      {
        fields: ["staticLatencyUs"],
        source: "assumption",
        confidence: "A",
        note: "peer-to-peer GPU copy over one xGMI hop, ~1 us small-message latency",
      },
    ],
  },
  {
    // AWS EFA: framing and per-message latency as the generic Ethernet entry (A), plus NCCL's all-to-all over it as
    // measured: a fixed time per call (which sets small buffers' rate) and the payload rate as a share of the line.
    id: "efa",
    name: "AWS Elastic Fabric Adapter (SRD, libfabric; NCCL through aws-ofi-nccl)",
    headerEfficiency: 0.93,
    staticLatencyUs: 5,
    allToAllCall: [
      { ranks: 16, us: 284, lineShare: 0.859 },
      { ranks: 32, us: 346, lineShare: 0.876 },
      { ranks: 64, us: 515, lineShare: 0.861 },
      { ranks: 128, us: 675, lineShare: 0.786 },
      { ranks: 256, us: 946, lineShare: 0.729 },
    ],
    sources: [
      {
        fields: ["headerEfficiency", "staticLatencyUs"],
        source: "as the generic Ethernet entry (no EFA framing or verbs latency figure taken)",
        confidence: "A",
      },
      {
        fields: ["allToAllCall"],
        source:
          "nccl-tests alltoall_perf on 2-32 p5.48xlarge (8 H100, 32 x 100 Gb/s EFA each), 32 MiB-2 GiB per rank: github.com/crazyguitar/aws-gpu-communication-benchmark data/nccl_alltoall.csv at a77f70db; the intercept (us) and slope over the 50 GB/s line (lineShare) of each rank count's 1/t-weighted line of call time on the bytes crossing EFA (data/kernels/nccl-alltoall-efa-p5.json)",
        confidence: "P",
        note: "taken for every EFA generation (p5, p5en, p6-b300): the fixed cost is the software path's (A); no p6 table found",
      },
    ],
  },
  {
    id: "ethernet",
    name: "Ethernet (generic)",
    headerEfficiency: 0.93,
    staticLatencyUs: 5,
    sources: [
      {
        fields: ["headerEfficiency", "staticLatencyUs"],
        source: "Ethernet framing at 4 KiB payload; TCP-class stack latency",
        confidence: "A",
      },
    ],
  },
];

/** Guesses a protocol from a tier name, for validation cases that describe tiers only by name. */
export function protocolIdForTierName(name: string): string {
  // Words, not substrings: "ici-cube" must not read as UB, nor "hub" or "tubs".
  const words = name.toLowerCase().split(/[^a-z0-9]+/);
  const has = (...w: string[]) => words.some((x) => w.includes(x));
  const starts = (...p: string[]) => words.some((x) => p.some((q) => x.startsWith(q)));
  if (starts("nvlink", "nvl")) return "nvlink";
  if (has("uboe")) return "uboe";
  if (has("ub", "unifiedbus", "hccs") || starts("unified")) return "unifiedbus";
  if (has("roce", "rocev2")) return "roce";
  if (has("ib", "infiniband", "ndr", "hdr", "xdr", "edr")) return "infiniband";
  if (has("efa")) return "efa";
  if (has("ici", "tpu", "ocs")) return "ici";
  if (has("xgmi") || starts("infinity")) return "xgmi";
  return "ethernet";
}
