// Where a router sends each token's top-k copies, and what that placement does to the expert exchange: how many remote groups (nodes, NVLink domains) a token reaches and the busiest rank's load.
import { learnedRemoteGroups } from "./comm.js";
import { routedImbalance } from "./moe.js";

/**
 * How a run's router picks each token's experts:
 * - "learned": by the router's scores (a trained or randomly initialised gate; Megatron-Core's
 *   `moe_router_force_load_balancing`, which replaces the logits by random ones, is the same for placement): a
 *   token's k experts fall anywhere, independently of where its other copies went;
 * - "round-robin": copy j of the token at position t of a micro-batch goes to expert (t k + j) mod E, so a token's k
 *   experts are consecutive and, with experts sharded over the EP ranks in order, sit on one or two neighbouring
 *   ranks (NeMo AutoModel's `FakeBalancedGate`, nemo_automodel/components/moe/layers.py at NVIDIA-NeMo/Automodel
 *   89e3a9fdd: `indices = torch.arange(x.size(0) * a_exp).view(-1, a_exp) % n_exp`, weights 1/k; its benchmark
 *   recipes set `fake_balanced_gate: true`).
 */
export type MoeRouting = "learned" | "round-robin";

/** What the expert exchange and the expert GEMMs read from a routing: reach over a tier and the busiest rank's load. */
export interface RoutingKind {
  /**
   * Expected remote groups a token's copies reach, of `groups` groups of EP ranks (each `inner` consecutive ranks
   * of `ep`, `experts` experts sharded in order over the ranks), from a rank in one of them. Cost O(experts) at most.
   */
  remoteGroups(groups: number, topK: number, experts: number, ep: number): number;
  /**
   * Busiest EP rank's routed load over the mean: `published` when given, else this routing's own for `copies`
   * routed copies a rank sends per micro-batch over `ep` ranks. Cost O(1).
   */
  imbalance(copies: number, ep: number, published: number | undefined): number;
}

/**
 * Expected remote groups a round-robin token reaches: the starting expert s = t k mod E runs over the multiples of
 * gcd(k, E) equally often as t runs over a micro-batch, and the block s .. s + k - 1 (mod E) covers the groups of the
 * ranks its experts sit on (expert e on rank floor(e ep / E), rank r in group floor(r / inner)). The sender's group
 * is independent of s, so the remote share of the distinct groups is (G - 1)/G. Cost O(E / gcd(k, E) x k).
 */
export function roundRobinRemoteGroups(groups: number, topK: number, experts: number, ep: number): number {
  if (groups <= 1 || experts <= 0 || topK <= 0) return 0;
  const g = Math.max(1, Math.round(groups));
  const inner = ep / g;
  const step = gcd(topK, experts);
  const k = Math.min(topK, experts);
  let sum = 0;
  let starts = 0;
  for (let s = 0; s < experts; s += step) {
    let distinct = 0;
    let last = -1;
    let first = -1;
    for (let j = 0; j < k; j++) {
      const e = (s + j) % experts;
      const grp = Math.floor(Math.floor((e * ep) / experts) / inner);
      if (grp !== last) {
        if (grp !== first) distinct++;
        if (first < 0) first = grp;
        last = grp;
      }
    }
    sum += distinct;
    starts++;
  }
  return ((sum / starts) * (g - 1)) / g;
}

function gcd(a: number, b: number): number {
  let x = Math.round(Math.abs(a));
  let y = Math.round(Math.abs(b));
  while (y > 0) [x, y] = [y, x % y];
  return Math.max(1, x);
}

/** Each routing's answers, in one place. */
export const ROUTINGS: Readonly<Record<MoeRouting, RoutingKind>> = {
  learned: {
    remoteGroups: (groups, topK) => learnedRemoteGroups(groups, topK),
    // Balanced routing's statistical spread (moe.ts): the copies land on ranks about at random.
    imbalance: routedImbalance,
  },
  "round-robin": {
    remoteGroups: roundRobinRemoteGroups,
    // Every expert receives the same number of copies per micro-batch (t k + j runs over all residues mod E).
    imbalance: (_copies, _ep, published) => published ?? 1,
  },
};
