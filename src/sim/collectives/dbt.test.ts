// The double binary tree's shape in O(log n): parents, depth and fan-in against the trees built in full.
import { describe, expect, it } from "vitest";
import { dbtShape, inorderTree, treeParent } from "./algorithms.js";

/** Depth and fan-in from the full trees (the reference). */
function reference(n: number) {
  const a = inorderTree(n, false);
  const b = inorderTree(n, true);
  const kids = new Int32Array(n);
  for (const p of [a.parent, b.parent]) for (let i = 0; i < n; i++) if (p[i] >= 0) kids[p[i]]++;
  return { depth: a.depth, fanIn: Math.max(2, ...kids), a: a.parent, b: b.parent };
}

describe("double binary tree shape", () => {
  it("parents, depth and fan-in agree with the trees built in full", () => {
    const fanIns = new Set<number>();
    for (const n of [...Array.from({ length: 400 }, (_, i) => i + 2), 1000, 4095, 4096, 65537, 100_003]) {
      const ref = reference(n);
      const shape = dbtShape(n);
      expect(shape, `n ${n}`).toEqual({ depth: ref.depth, fanIn: ref.fanIn });
      fanIns.add(shape.fanIn);
      const step = Math.max(1, Math.floor(n / 97));
      for (let i = 0; i < n; i += step) {
        expect(treeParent(i, n, false), `n ${n} i ${i}`).toBe(ref.a[i]);
        expect(treeParent(i, n, true), `n ${n} i ${i} mirror`).toBe(ref.b[i]);
      }
    }
    // Both fan-ins occur, so the check is not vacuous.
    expect([...fanIns].sort()).toEqual([2, 3]);
  });
});
