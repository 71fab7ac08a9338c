// Null in a validation case means "not published": readers drop such keys so the model's defaults decide.

/** A shallow copy of `value` without its null-valued keys; anything but a plain object comes back unchanged. Cost: O(keys). */
export function withoutNulls(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = v;
  return out;
}
