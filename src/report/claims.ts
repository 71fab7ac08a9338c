// Huawei's published Atlas 950/960 figures beside what zettasim derives from per-chip and per-group facts.
import { resolveSystem } from "../catalog/resolve.js";
import { EFLOPS, PB, TB, ZFLOPS } from "../core/units.js";
import { compareSpecs } from "./compare.js";
import { deriveSpec, type SystemSpec } from "./derive.js";

/** Where the published figures come from. */
export const HUAWEI_CONNECT_2025 =
  "Huawei Connect 2025 keynote (Eric Xu, 18 Sep 2025), as summarised in shared/reference/hardware.md";

/**
 * How a published figure is worded: `about` (a rounded figure), `over` (a lower bound), `ratio` (x times another
 * system's figure). A derived figure within 3% of an `about` or `ratio` figure agrees; within 5% it is close.
 */
export type ClaimKind = "about" | "over" | "ratio";

/** One published figure and the derived one. Values in SI units (`unit`), or a plain ratio (`unit` "x"). */
export interface ClaimCheck {
  id: string;
  /** The system the claim is about, as Huawei names it. */
  subject: string;
  figure: string;
  kind: ClaimKind;
  /** As published, in words. */
  publishedText: string;
  published: number;
  derived: number;
  unit: string;
  /** (derived / published - 1) x 100. */
  differencePct: number;
  verdict: "agrees" | "close" | "differs" | "holds" | "fails";
  /** Why the figures differ, where they do. */
  note: string;
  source: string;
}

interface ClaimDef {
  id: string;
  subject: string;
  figure: string;
  kind: ClaimKind;
  publishedText: string;
  published: number;
  unit: string;
  derive: (spec: (id: string) => SystemSpec) => number;
  note?: string;
}

const ratio = (a: string, b: string, key: string) => (spec: (id: string) => SystemSpec) => {
  const c = compareSpecs([spec(a), spec(b)]);
  const row = c.rows.find((r) => r.key === key);
  return row?.ratios[1] ?? 0;
};

const CLAIMS: ClaimDef[] = [
  {
    id: "950-pod-npus",
    subject: "Atlas 950 SuperPoD",
    figure: "NPUs",
    kind: "about",
    publishedText: "8,192",
    published: 8192,
    unit: "",
    derive: (s) => s("atlas-950-superpod").chips,
  },
  {
    id: "950-pod-fp8",
    subject: "Atlas 950 SuperPoD",
    figure: "FP8 peak",
    kind: "about",
    publishedText: "8 EFLOPS",
    published: 8 * EFLOPS,
    unit: "FLOP/s",
    derive: (s) => s("atlas-950-superpod").peakFlops.fp8 ?? 0,
    note: "8,192 x 1 PFLOPS = 8.19 EFLOPS; Huawei rounds down",
  },
  {
    id: "950-pod-fp4",
    subject: "Atlas 950 SuperPoD",
    figure: "FP4 peak",
    kind: "about",
    publishedText: "16 EFLOPS",
    published: 16 * EFLOPS,
    unit: "FLOP/s",
    derive: (s) => s("atlas-950-superpod").peakFlops.fp4 ?? 0,
    note: "8,192 x 2 PFLOPS = 16.4 EFLOPS; Huawei rounds down",
  },
  {
    id: "950-pod-memory",
    subject: "Atlas 950 SuperPoD",
    figure: "HBM",
    kind: "about",
    publishedText: "1,152 TB",
    published: 1152 * TB,
    unit: "B",
    derive: (s) => s("atlas-950-superpod").memoryBytes,
    note: "8,192 x 144 GB = 1,179.6 TB; Huawei's 1,152 divides by 1,024",
  },
  {
    id: "950-pod-interconnect",
    subject: "Atlas 950 SuperPoD",
    figure: "interconnect bandwidth",
    kind: "about",
    publishedText: "16.3 PB/s",
    published: 16.3 * PB,
    unit: "B/s",
    derive: (s) => s("atlas-950-superpod").scaleUpBandwidthBytesPerS,
    note: "8,192 x 2 TB/s, both directions summed",
  },
  {
    id: "950-pod-cabinets",
    subject: "Atlas 950 SuperPoD",
    figure: "cabinets",
    kind: "about",
    publishedText: "160",
    published: 160,
    unit: "",
    derive: (s) => s("atlas-950-superpod").cabinets.total,
  },
  {
    id: "950-pod-floor",
    subject: "Atlas 950 SuperPoD",
    figure: "floor area",
    kind: "about",
    publishedText: "about 1,000 m2",
    published: 1000,
    unit: "m2",
    derive: (s) => s("atlas-950-superpod").floorAreaM2,
  },
  {
    id: "950-cluster-npus",
    subject: "Atlas 950 SuperCluster",
    figure: "NPUs",
    kind: "about",
    publishedText: "524,288 (64 SuperPoDs)",
    published: 524288,
    unit: "",
    derive: (s) => s("atlas-950-supercluster").chips,
  },
  {
    id: "950-cluster-fp8",
    subject: "Atlas 950 SuperCluster",
    figure: "FP8 peak",
    kind: "about",
    publishedText: "524 EFLOPS",
    published: 524 * EFLOPS,
    unit: "FLOP/s",
    derive: (s) => s("atlas-950-supercluster").peakFlops.fp8 ?? 0,
  },
  {
    id: "950-cluster-fp4",
    subject: "Atlas 950 SuperCluster",
    figure: "FP4 peak",
    kind: "about",
    publishedText: "1 ZFLOPS",
    published: 1 * ZFLOPS,
    unit: "FLOP/s",
    derive: (s) => s("atlas-950-supercluster").peakFlops.fp4 ?? 0,
    note: "524,288 x 2 PFLOPS = 1.05 ZFLOPS; Huawei says 1",
  },
  {
    id: "950-cluster-cabinets",
    subject: "Atlas 950 SuperCluster",
    figure: "cabinets",
    kind: "over",
    publishedText: "over 10,240",
    published: 10240,
    unit: "",
    derive: (s) => s("atlas-950-supercluster").cabinets.total,
    note: "64 x 160 = 10,240 in the SuperPoDs, plus the scale-out network's cabinets",
  },
  {
    id: "950-cluster-floor",
    subject: "Atlas 950 SuperCluster",
    figure: "floor area",
    kind: "about",
    publishedText: "about 64,000 m2",
    published: 64000,
    unit: "m2",
    derive: (s) => s("atlas-950-supercluster").floorAreaM2,
    note: "the SuperPoD cabinets alone give 64,000 m2; the scale-out network's cabinets add the rest",
  },
  {
    id: "960-pod-npus",
    subject: "Atlas 960 SuperPoD",
    figure: "NPUs",
    kind: "about",
    publishedText: "15,488",
    published: 15488,
    unit: "",
    derive: (s) => s("atlas-960-superpod").chips,
  },
  {
    id: "960-pod-fp8",
    subject: "Atlas 960 SuperPoD",
    figure: "FP8 peak",
    kind: "about",
    publishedText: "30 EFLOPS",
    published: 30 * EFLOPS,
    unit: "FLOP/s",
    derive: (s) => s("atlas-960-superpod").peakFlops.fp8 ?? 0,
    note: "15,488 x 2 PFLOPS = 30.98 EFLOPS; Huawei rounds down",
  },
  {
    id: "960-pod-fp4",
    subject: "Atlas 960 SuperPoD",
    figure: "FP4 peak",
    kind: "about",
    publishedText: "60 EFLOPS",
    published: 60 * EFLOPS,
    unit: "FLOP/s",
    derive: (s) => s("atlas-960-superpod").peakFlops.fp4 ?? 0,
    note: "15,488 x 4 PFLOPS = 62.0 EFLOPS; Huawei rounds down",
  },
  {
    id: "960-pod-interconnect",
    subject: "Atlas 960 SuperPoD",
    figure: "interconnect bandwidth",
    kind: "about",
    publishedText: "34 PB/s",
    published: 34 * PB,
    unit: "B/s",
    derive: (s) => s("atlas-960-superpod").scaleUpBandwidthBytesPerS,
  },
  {
    id: "960-cluster-npus",
    subject: "Atlas 960 SuperCluster",
    figure: "NPUs",
    kind: "over",
    publishedText: "over 1,000,000",
    published: 1e6,
    unit: "",
    derive: (s) => s("atlas-960-supercluster").chips,
    note: "66 SuperPoDs (the fewest whole PoDs over a million) is zettasim's assumption",
  },
  {
    id: "960-cluster-fp4",
    subject: "Atlas 960 SuperCluster",
    figure: "FP4 peak",
    kind: "about",
    publishedText: "4 ZFLOPS",
    published: 4 * ZFLOPS,
    unit: "FLOP/s",
    derive: (s) => s("atlas-960-supercluster").peakFlops.fp4 ?? 0,
    note: "1,022,208 x 4 PFLOPS = 4.09 ZFLOPS",
  },
  {
    id: "950-vs-nvl144-npus",
    subject: "Atlas 950 SuperPoD vs Vera Rubin NVL144",
    figure: "NPUs / GPUs",
    kind: "ratio",
    publishedText: "56.8x",
    published: 56.8,
    unit: "x",
    derive: ratio("vr-nvl144", "atlas-950-superpod", "chips"),
    note: "8,192 / 144 = 56.9",
  },
  {
    id: "950-vs-nvl144-compute",
    subject: "Atlas 950 SuperPoD vs Vera Rubin NVL144",
    figure: "FP8 compute",
    kind: "ratio",
    publishedText: "6.7x",
    published: 6.7,
    unit: "x",
    derive: ratio("vr-nvl144", "atlas-950-superpod", "peakFlops.fp8"),
    note: "8.19 EFLOPS against NVL144's 1.2 EFLOPS FP8 training figure",
  },
  {
    id: "950-vs-nvl144-memory",
    subject: "Atlas 950 SuperPoD vs Vera Rubin NVL144",
    figure: "memory",
    kind: "ratio",
    publishedText: "15x",
    published: 15,
    unit: "x",
    derive: ratio("vr-nvl144", "atlas-950-superpod", "memoryBytesVsFirstFastMemory"),
    note: "the SuperPoD's HBM against NVL144's fast memory (HBM + Vera LPDDR); against HBM alone it is 56.9x",
  },
  {
    id: "950-vs-nvl144-bandwidth",
    subject: "Atlas 950 SuperPoD vs Vera Rubin NVL144",
    figure: "interconnect bandwidth",
    kind: "ratio",
    publishedText: "62x",
    published: 62,
    unit: "x",
    derive: ratio("vr-nvl144", "atlas-950-superpod", "scaleUpBandwidthBytesPerS"),
    note: "16.4 PB/s against 259 TB/s; Huawei's rounded 16.3 PB/s and 260 TB/s give 62.7x",
  },
];

function verdict(kind: ClaimKind, published: number, derived: number): ClaimCheck["verdict"] {
  if (kind === "over") return derived > published ? "holds" : "fails";
  const d = Math.abs(derived / published - 1);
  return d <= 0.03 ? "agrees" : d <= 0.05 ? "close" : "differs";
}

/**
 * Every published Huawei figure zettasim can derive, beside the derived figure and the difference. Derived from
 * the catalog alone (per-chip and per-group facts x counts). Cost: a few spec derivations, microseconds.
 */
export function checkClaims(): ClaimCheck[] {
  const cache = new Map<string, SystemSpec>();
  const spec = (id: string) => {
    let s = cache.get(id);
    if (!s) {
      s = deriveSpec(resolveSystem(id));
      cache.set(id, s);
    }
    return s;
  };
  return CLAIMS.map((c) => {
    const derived = c.derive(spec);
    return {
      id: c.id,
      subject: c.subject,
      figure: c.figure,
      kind: c.kind,
      publishedText: c.publishedText,
      published: c.published,
      derived,
      unit: c.unit,
      differencePct: (derived / c.published - 1) * 100,
      verdict: verdict(c.kind, c.published, derived),
      note: c.note ?? "",
      source: HUAWEI_CONNECT_2025,
    };
  });
}
