// Growing the typed arrays the engine keeps its state in.

/** A typed array of length n (at least a's) holding a's contents, the rest zero. Cost O(n). */
export function grown<A extends Float64Array | Int32Array | Uint8Array>(a: A, n: number): A {
  const b = new (a.constructor as { new (n: number): A })(n);
  b.set(a);
  return b;
}
