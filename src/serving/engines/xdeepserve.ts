// xDeepServe / CloudMatrix-Infer (Huawei Cloud on CloudMatrix384): graph decode, asynchronous scheduling.
import { caseFitValue } from "../../catalog/families/case-fit-values.js";
import type { ServingEngine } from "./types.js";

/**
 * xDeepServe, Huawei Cloud's serving system on CloudMatrix384 (CloudMatrix-Infer, arXiv 2506.12708):
 * decode in graph mode and a scheduler that overlaps the host with the NPUs (the paper's
 * microbatch pipelining and asynchronous scheduling). Host figures as the generic engine (A).
 */
export const XDEEPSERVE: ServingEngine = {
  id: "xdeepserve",
  name: "xDeepServe (CloudMatrix-Infer)",
  hostStepS: 1e-3,
  hostPerSeqS: 5e-6,
  hostOverlap: true,
  decodeGraphs: true,
  graphMaxBatchPerRank: 256,
  kernelFactor: caseFitValue("engines.xdeepserve.kernelFactor", 1),
  draftHostS: 0,
  // CloudMatrix-Infer runs DP attention with EP320 decode and EP32 prefill (arXiv 2506.12708).
  defaultLayout: "dp-attention-ep",
  source:
    "CloudMatrix-Infer (arXiv 2506.12708): graph-mode decode, overlapped scheduling; host figures assumed (A)",
};
