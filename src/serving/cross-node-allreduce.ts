// The fixed cost of a tensor-parallel all-reduce whose group spans nodes: NCCL's measured latency, since no engine's custom all-reduce crosses a node.

import type { CrossNodeAllReducePoint } from "../catalog/families/types.js";
import { requireAt } from "../core/errors.js";

const PATH: readonly (string | number)[] = ["ncclAllReduceAcrossNodes"];

/**
 * Fixed cost of one TP all-reduce of `tp` ranks when the group spans nodes of `ranksPerNode` ranks (the innermost
 * tier's group), s, from the family's measured `points`; undefined when the group fits one node or no point matches
 * its nodes and ranks per node (the caller keeps its formula then).
 *
 * Why a separate figure: vLLM's `CustomAllreduce` disables itself for a group that is not all in one node ('Custom
 * allreduce is disabled because this process group spans across nodes', and world sizes other than 2, 4, 6, 8 are
 * refused: `_SUPPORTED_WORLD_SIZES`; vllm/distributed/device_communicators/custom_all_reduce.py at 00d618aa, checks
 * present since the kernel's 2024 introduction, A for 0.8-0.10), so `CudaCommunicator.all_reduce` runs pynccl's
 * ncclAllReduce; SGLang's copy of the class carries the same checks, and TensorRT-LLM's one-shot and two-shot kernels
 * need every rank on NVLink. At decode's messages NCCL's call is its latency, which the network hop and the chain of
 * ranks inside each node set: 46.3-47.8 us from 4 B to 512 B on 16 H20 over two nodes (nccl issue 1244), where the
 * engines' one-node custom call is about 5 us. The point replaces `allReduceFixedS` plus the tier latency; the ring
 * bytes stay on top. A group filled unevenly (`tp` not a multiple of `ranksPerNode`) has no point.
 *
 * `tp` or `ranksPerNode` not a positive integer is a named error; so is a malformed point
 * (`crossNodeAllReducePointProblem`). O(points), no allocation unless it throws.
 */
export function crossNodeAllReduceFixedS(
  points: readonly CrossNodeAllReducePoint[] | undefined,
  tp: number,
  ranksPerNode: number,
  path: readonly (string | number)[] = PATH,
): number | undefined {
  requireAt(Number.isInteger(tp) && tp >= 1, path, "tp", "expected an integer >= 1", tp);
  requireAt(
    Number.isInteger(ranksPerNode) && ranksPerNode >= 1,
    path,
    "ranksPerNode",
    "expected an integer >= 1",
    ranksPerNode,
  );
  if (points === undefined || tp <= ranksPerNode || tp % ranksPerNode !== 0) return undefined;
  const nodes = tp / ranksPerNode;
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    const problem = crossNodeAllReducePointProblem(p);
    requireAt(problem === undefined, path, i, problem ?? "", p);
    if (p.nodes === nodes && p.ranksPerNode === ranksPerNode) return p.fixedS;
  }
  return undefined;
}

/**
 * The first problem of a measured point as a sentence, or undefined when it is sound: `nodes` an integer >= 2,
 * `ranksPerNode` an integer >= 1, `fixedS` a positive finite number of seconds, a non-empty source. O(1).
 */
export function crossNodeAllReducePointProblem(p: CrossNodeAllReducePoint): string | undefined {
  if (!(Number.isInteger(p.nodes) && p.nodes >= 2)) return `nodes must be an integer >= 2, got ${p.nodes}`;
  if (!(Number.isInteger(p.ranksPerNode) && p.ranksPerNode >= 1))
    return `ranksPerNode must be an integer >= 1, got ${p.ranksPerNode}`;
  if (!(Number.isFinite(p.fixedS) && p.fixedS > 0))
    return `fixedS must be a positive number, got ${p.fixedS}`;
  if (!(typeof p.source === "string" && p.source.length > 0))
    return "source must name where the figure comes from";
  return undefined;
}
