// Groups the failure studies' measured / predicted failure rates by what the studies publish about their fleets.
//
// Evidence for docs/reliability.md sec. 7.4 (session 12, issue 13 item 4); no model parameter is taken from it and
// nothing it prints is used by any prediction. `npx tsx scripts/reliability/fleet-factors.ts` runs the failure model
// on every case of validation/reliability-*.json (all declared holdout) and prints, per case, the ratio
// r = measured failure rate / predicted failure rate (for a mean time to failure: predicted / measured; the goodput
// case is left out, a goodput is no rate), then the geometric mean and range of r per group of each published
// attribute below, and what a pooled multiplier would do if one were fitted (leave-one-study-out, to judge whether a
// pooled estimate is worth a future set of declared-fit studies; it is not fitted here and must not be, rule 3 of
// COMMON: holdout cases tune nothing).
//
// Attributes, from each case's own source and notes (null-like "not stated" where the case's source is silent):
// - generation: the accelerator in the study's fleet; "network" for a switch or link figure.
// - age: the fleet's age during the measured window where the source states it: OPT-175B (Zhang et al. 2022,
//   arXiv 2205.01068, and its metaseq logbook: a new cloud cluster, about two machines a day of attrition),
//   Azure (Singh et al. 2021: the first 3 months after deployment), Delta A100 (Cui et al. 2025: 895 days of A100
//   data). Llama 3, the rates' own source, was in its clusters' first months (Meta, "Building Meta's GenAI
//   Infrastructure", 2024-03-12; docs/reliability.md sec. 7.2).
// - counts: what one counted event is: a job interruption (or job failure), a node taken out of service, a failed
//   component, or an error event (Delta: one uncorrectable ECC error, coalesced within 5 s).

import { median } from "../../src/core/stats.js";
import { runCase } from "../../src/validate/run.js";
import { projectCases } from "../validation-files.js";

type Attr = { study: string; generation: string; age: string; counts: string };
/** Published attributes per case id (see the header for the sources). */
const ATTRS: Record<string, Attr> = {
  "meta-rsc1-node-failure-rate": { study: "Meta RSC", generation: "A100", age: "not stated", counts: "node" },
  "meta-rsc2-node-failure-rate": { study: "Meta RSC", generation: "A100", age: "not stated", counts: "node" },
  "meta-rsc-mttf-1024gpu-jobs": { study: "Meta RSC", generation: "A100", age: "not stated", counts: "job" },
  "meta-rsc-mttf-8gpu-jobs": { study: "Meta RSC", generation: "A100", age: "not stated", counts: "job" },
  "opt-175b-interruptions-992xa100": {
    study: "OPT-175B",
    generation: "A100",
    age: "first months",
    counts: "job",
  },
  "opt-175b-hosts-cycled-992xa100": {
    study: "OPT-175B",
    generation: "A100",
    age: "first months",
    counts: "node",
  },
  "bloom-176b-gpu-failures-384xa100": {
    study: "BLOOM",
    generation: "A100",
    age: "not stated",
    counts: "component",
  },
  "tpu-v4-machine-daily-failure-rate": {
    study: "TPU v4",
    generation: "TPU v4",
    age: "not stated",
    counts: "node",
  },
  "lablup-b200-gpu-failures-504gpu": {
    study: "Lablup",
    generation: "B200",
    age: "not stated",
    counts: "component",
  },
  "alibaba-hpn-tor-switch-crash-rate": {
    study: "Alibaba HPN",
    generation: "network",
    age: "not stated",
    counts: "component",
  },
  "alibaba-hpn-nic-tor-link-failure-rate": {
    study: "Alibaba HPN",
    generation: "network",
    age: "not stated",
    counts: "component",
  },
  "tpu-v4-ici-cable-daily-failure-rate": {
    study: "TPU v4",
    generation: "network",
    age: "not stated",
    counts: "component",
  },
  "tpu-v4-ocs-daily-failure-rate": {
    study: "TPU v4",
    generation: "network",
    age: "not stated",
    counts: "component",
  },
  "delta-h100-hbm-uncorrectable-ecc": {
    study: "Delta",
    generation: "H100",
    age: "not stated",
    counts: "error",
  },
  "delta-a100-hbm-uncorrectable-ecc": { study: "Delta", generation: "A100", age: "years", counts: "error" },
  "azure-datacenter-switch-3month-survival": {
    study: "Azure",
    generation: "network",
    age: "first months",
    counts: "component",
  },
};

type Row = Attr & { id: string; metric: string; errorPct: number; r: number };

const geomean = (xs: number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
const pct = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(1)}%`;

/** Every failure study's ratio r (measured / predicted failure rate), the goodput case left out. */
function rows(): Row[] {
  const out: Row[] = [];
  for (const { file, case: c } of projectCases("reliability")) {
    const res = runCase(c, file);
    if (res.errorPct == null || res.metric === "goodput") continue;
    const attr = ATTRS[res.id];
    if (!attr) throw new Error(`case ${res.id}: no attributes in ATTRS (add its published fleet facts)`);
    const ratio = 1 + res.errorPct / 100;
    out.push({
      ...attr,
      id: res.id,
      metric: res.metric,
      errorPct: res.errorPct,
      r: res.metric === "mttfHours" ? ratio : 1 / ratio,
    });
  }
  return out;
}

/** Error of a case, in its own metric, once every predicted failure rate is multiplied by f. */
const errorWith = (row: Row, f: number) => 100 * (row.metric === "mttfHours" ? row.r / f - 1 : f / row.r - 1);

/** Leave-one-study-out median |error| of a multiplier pooled (geometric mean of r) within each group of `key`. */
function pooledLoso(all: Row[], key: (r: Row) => string): { median: number; max: number } {
  const errs = all.map((row) => {
    const train = all.filter((o) => o.study !== row.study && key(o) === key(row));
    return Math.abs(errorWith(row, train.length ? geomean(train.map((o) => o.r)) : 1));
  });
  return { median: median(errs), max: Math.max(...errs) };
}

function main() {
  const all = rows();
  console.log("case | study | generation | age | counts | error | measured/predicted failure rate");
  for (const r of all) {
    console.log(
      `${r.id} | ${r.study} | ${r.generation} | ${r.age} | ${r.counts} | ${pct(r.errorPct)} | ${r.r.toFixed(2)}`,
    );
  }
  console.log(
    `\nall ${all.length}: geometric mean r ${geomean(all.map((r) => r.r)).toFixed(2)}, range ${Math.min(...all.map((r) => r.r)).toFixed(2)}-${Math.max(...all.map((r) => r.r)).toFixed(2)}`,
  );
  for (const key of ["generation", "age", "counts", "study"] as const) {
    console.log(`\nby ${key}:`);
    const groups = [...new Set(all.map((r) => r[key]))];
    for (const g of groups) {
      const rs = all.filter((r) => r[key] === g).map((r) => r.r);
      console.log(
        `  ${g}: n ${rs.length}, geometric mean ${geomean(rs).toFixed(2)}, range ${Math.min(...rs).toFixed(2)}-${Math.max(...rs).toFixed(2)}`,
      );
    }
  }
  const now = all.map((r) => Math.abs(r.errorPct));
  console.log(
    `\nas modelled (no multiplier): median |error| ${median(now).toFixed(1)}%, max ${Math.max(...now).toFixed(1)}%`,
  );
  for (const [label, key] of [
    ["one pooled multiplier", () => "all"],
    ["a multiplier per counted unit", (r: Row) => r.counts],
    ["a multiplier per generation", (r: Row) => r.generation],
  ] as const) {
    const s = pooledLoso(all, key);
    console.log(
      `${label}, leave-one-study-out: median |error| ${s.median.toFixed(1)}%, max ${s.max.toFixed(1)}%`,
    );
  }
}

main();
