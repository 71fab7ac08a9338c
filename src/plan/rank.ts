// Ranking for searches: a bounded top-k with a deterministic tie-break, the best per group key, and Pareto fronts.

/** Anything ranked: an objective value (lower is better) and a canonical index that breaks ties. */
export interface Ranked {
  value: number;
  index: number;
}

/** Whether a ranks before b: smaller value, then smaller canonical index. */
export const before = (a: Ranked, b: Ranked): boolean =>
  a.value < b.value || (a.value === b.value && a.index < b.index);

/**
 * The k best items seen, in rank order. Insertion O(k); `threshold` is the value an item must not exceed
 * to enter (the k-th best value, +Infinity while fewer than k are held).
 */
export class TopK<T extends Ranked> {
  readonly items: T[] = [];
  constructor(readonly k: number) {}

  get threshold(): number {
    return this.items.length < this.k ? Number.POSITIVE_INFINITY : this.items[this.items.length - 1].value;
  }

  /** Offers one item; returns whether it was kept. */
  offer(x: T): boolean {
    const n = this.items.length;
    if (n >= this.k && !before(x, this.items[n - 1])) return false;
    let i = n;
    while (i > 0 && before(x, this.items[i - 1])) i--;
    this.items.splice(i, 0, x);
    if (this.items.length > this.k) this.items.pop();
    return true;
  }

  offerAll(xs: Iterable<T>): void {
    for (const x of xs) this.offer(x);
  }
}

/** Best item per key (chips, for instance), by the same order as TopK. */
export class BestBy<T extends Ranked> {
  readonly best = new Map<number, T>();
  /** Offers one item for `key`; returns whether it became the best. */
  offer(key: number, x: T): boolean {
    const cur = this.best.get(key);
    if (cur && !before(x, cur)) return false;
    this.best.set(key, x);
    return true;
  }
  value(key: number): number {
    return this.best.get(key)?.value ?? Number.POSITIVE_INFINITY;
  }
}

/**
 * Pareto front of `items` over two objectives to minimise, sorted by the first: an item stays when no other
 * is at least as good on both and better on one. Ties on both keep the first in canonical order. Cost O(n log n).
 */
export function paretoFront<T>(items: T[], x: (t: T) => number, y: (t: T) => number): T[] {
  const sorted = [...items].sort((a, b) => x(a) - x(b) || y(a) - y(b));
  const out: T[] = [];
  let bestY = Number.POSITIVE_INFINITY;
  for (const t of sorted) {
    if (y(t) < bestY) {
      out.push(t);
      bestY = y(t);
    }
  }
  return out;
}
