// Reading records keyed by user-given names (tier names, cabinet kinds, chip ids) without reaching Object.prototype.

/**
 * The value a record holds under `key` as its own property, or undefined: a key named `constructor`,
 * `toString` or `__proto__` finds nothing instead of Object.prototype's members. Cost O(1).
 */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** An empty record with no prototype, for counts keyed by user-given names. Cost O(1). */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
