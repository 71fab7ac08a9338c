// The default serving engine: a modern continuous-batching engine with graph-captured decode and an overlapped scheduler.
import type { ServingEngine } from "./types.js";

/**
 * Generic engine (assumption, A): what SGLang, TensorRT-LLM and vLLM had in common by mid-2025 —
 * decode replayed from graphs up to 256 sequences per rank, the host scheduler one step ahead of the
 * device, about 1 ms of host work per step and 5 us per sequence (the host budget SGLang's v0.4
 * blog shows hidden behind the device, LMSYS 2024-12-04). Used when a scenario or case names none.
 */
export const GENERIC_ENGINE: ServingEngine = {
  id: "generic",
  name: "generic continuous-batching engine",
  hostStepS: 1e-3,
  hostPerSeqS: 5e-6,
  hostOverlap: true,
  decodeGraphs: true,
  graphMaxBatchPerRank: 256,
  kernelFactor: 1,
  draftHostS: 0,
  // the large-EP layout of the 2025 MoE deployments this profile stands for (A).
  defaultLayout: "dp-attention-ep",
  source: "assumption (A): common features of SGLang, TensorRT-LLM and vLLM V1 in 2025",
};
