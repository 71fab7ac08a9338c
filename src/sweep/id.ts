// Deterministic ids for sweeps and points: a 64-bit hash of canonical JSON (keys sorted), the same in Node and browsers.

/** JSON with object keys sorted at every level, so equal values give equal text. Cost: O(size). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/**
 * 64-bit hash of a string as 16 hex digits: two independent 32-bit multiply-xorshift lanes over UTF-16 code
 * units (cyrb53's construction, widened). Not cryptographic: ids only have to differ between distinct points of
 * a sweep (collision odds about n^2 / 2^65). Cost: O(length).
 */
export function hash64(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
}

/** Id of a value: hash64 of its canonical JSON. */
export function idOf(v: unknown): string {
  return hash64(canonicalJson(v));
}
