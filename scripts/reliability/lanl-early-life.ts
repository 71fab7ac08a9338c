// Recomputes the figures of data/reliability/lanl-early-life.json (failure rate by node age, failures per node) from LANL public data.
//
// Evidence for docs/reliability.md sec. 7.2 (no model parameter is taken from it). Input: the public LANL release
// LA-UR-05-7318 (failure/interrupt data of 22 HPC systems, 1996-2005; Schroeder and Gibson, DSN 2006), a CSV with one
// row per failure: `npx tsx scripts/reliability/lanl-early-life.ts <LA-UR-05-7318-failure-data-1996-2005.csv>`.
// A copy is in github.com/Derek-Jones/ESEUR-code-data (reliability/LA-UR-05-7318-failure-data-1996-2005.csv.xz).
// Method: clusters of 100 or more nodes with at least 13 months observed after their production month; each
// production batch (system, production month, decommission month) is its own population of `nodes` nodes; rows
// marked "Same Event" are dropped (one event, several records). A batch's steady rate is its failures per month from
// month 12 on; the month-m ratio is failures in month m / steady rate, pooled over batches as sum(observed) /
// sum(steady). Hardware: rows with a Hardware blame. Month granularity is the data's (production dates are months).
import { readFileSync } from "node:fs";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** "3-Sep" (2003) or "Jan-97" (1997) as a month index, undefined when not a date. */
function monthIndex(s: string): number | undefined {
  const a = /^(\d+)-([A-Za-z]{3})$/.exec(s.trim());
  if (a) return (2000 + Number(a[1])) * 12 + MONTHS.indexOf(a[2]);
  const b = /^([A-Za-z]{3})-(\d\d)$/.exec(s.trim());
  if (b) return (Number(b[2]) > 50 ? 1900 : 2000) * 12 + Number(b[2]) * 12 + MONTHS.indexOf(b[1]);
  return undefined;
}

/** Splits one CSV line (the release has no quoted commas). */
const cells = (line: string) => line.split(",");

function main(path: string) {
  const lines = readFileSync(path, "latin1")
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "");
  const head = cells(lines[0]);
  const col = (name: string) => head.indexOf(name);
  const [cSys, cType, cNodes, cProd, cDecom, cStart, cHw, cSame] = [
    "System",
    "machine type",
    "nodes",
    "node prod",
    "node decom",
    "Prob Started",
    "Hardware",
    "Same Event",
  ].map(col);
  const rows = lines.slice(1).map(cells);
  let endMonth = 0;
  for (const r of rows) {
    const m = /^(\d+)\/(\d+)\/(\d+)/.exec(r[cStart] ?? "");
    if (m) endMonth = Math.max(endMonth, Number(m[3]) * 12 + Number(m[1]) - 1);
  }
  const out: Record<string, unknown> = {
    dataEndMonth: `${Math.floor(endMonth / 12)}-${(endMonth % 12) + 1}`,
  };
  for (const hardwareOnly of [false, true]) {
    const batches = new Map<string, string[][]>();
    for (const r of rows) {
      if (r[cType] !== "cluster") continue;
      const key = [r[cSys], r[cProd], r[cDecom], r[cNodes]].join("|");
      batches.set(key, [...(batches.get(key) ?? []), r]);
    }
    const obs = new Array(12).fill(0);
    const exp = new Array(12).fill(0);
    const perBatch: {
      system: string;
      production: string;
      nodes: number;
      months: number;
      firstQuarterRatio: number;
    }[] = [];
    for (const [key, rs] of batches) {
      const [system, prod, decom, nodesS] = key.split("|");
      const p = monthIndex(prod);
      const d = decom === "current" ? endMonth : monthIndex(decom);
      const nodes = Number(nodesS);
      if (p === undefined || d === undefined || !(nodes >= 100)) continue;
      const months = d - p + 1;
      if (months < 13) continue;
      const count = new Array(months).fill(0);
      for (const r of rs) {
        if (hardwareOnly && !r[cHw].trim()) continue;
        if (r[cSame].trim().toLowerCase() === "yes") continue;
        const m = /^(\d+)\/(\d+)\/(\d+)/.exec(r[cStart]);
        if (!m) continue;
        const age = Number(m[3]) * 12 + Number(m[1]) - 1 - p;
        if (age >= 0 && age < months) count[age] += 1;
      }
      let late = 0;
      for (let i = 12; i < months; i++) late += count[i];
      const steady = late / (months - 12);
      for (let i = 0; i < 12; i++) {
        obs[i] += count[i];
        exp[i] += steady;
      }
      perBatch.push({
        system,
        production: prod,
        nodes,
        months,
        firstQuarterRatio: round((count[0] + count[1] + count[2]) / (3 * steady)),
      });
    }
    const sum = (a: number[], n: number) => a.slice(0, n).reduce((x, y) => x + y, 0);
    const ratios = perBatch.map((b) => b.firstQuarterRatio).sort((a, b) => a - b);
    const mid = ratios.length / 2;
    out[hardwareOnly ? "hardware" : "allCauses"] = {
      batches: perBatch.sort((a, b) => Number(a.system) - Number(b.system)),
      pooledMonthRatio: obs.map((o, i) => round(o / exp[i])),
      pooledFirst3Months: round(sum(obs, 3) / sum(exp, 3)),
      pooledFirst6Months: round(sum(obs, 6) / sum(exp, 6)),
      pooledFirst12Months: round(sum(obs, 12) / sum(exp, 12)),
      medianBatchFirst3Months: round(
        ratios.length % 2 ? ratios[Math.floor(mid)] : (ratios[mid - 1] + ratios[mid]) / 2,
      ),
    };
  }
  out.nodeConcentration = nodeConcentration(rows, {
    cSys,
    cType,
    cNodes,
    cHw,
    cSame,
    cNode: col("nodenumz"),
  });
  process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
}

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * Lemon-node cross-check: per cluster system of 100+ nodes, the share of its hardware failures on its worst 1.2% and
 * 4.8% of nodes (Meta RSC-1's and the Lablup report's lemon fractions), beside the same shares when the failures are
 * thrown on the nodes uniformly at random (a fixed-seed LCG, so the file recomputes exactly).
 */
function nodeConcentration(rows: string[][], c: Record<string, number>) {
  const bySystem = new Map<string, { nodes: number; perNode: Map<string, number>; total: number }>();
  for (const r of rows) {
    if (r[c.cType] !== "cluster" || !r[c.cHw].trim() || r[c.cSame].trim().toLowerCase() === "yes") continue;
    const e = bySystem.get(r[c.cSys]) ?? { nodes: Number(r[c.cNodes]), perNode: new Map(), total: 0 };
    e.perNode.set(r[c.cNode], (e.perNode.get(r[c.cNode]) ?? 0) + 1);
    e.total += 1;
    bySystem.set(r[c.cSys], e);
  }
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const out = [];
  for (const [system, e] of bySystem) {
    if (!(e.nodes >= 100)) continue;
    const counts = [...e.perNode.values()].sort((a, b) => b - a);
    const uniform = new Array(e.nodes).fill(0);
    for (let i = 0; i < e.total; i++) uniform[Math.floor(next() * e.nodes)] += 1;
    uniform.sort((a, b) => b - a);
    const share = (xs: number[], f: number) =>
      round(xs.slice(0, Math.max(1, Math.round(f * e.nodes))).reduce((a, b) => a + b, 0) / e.total);
    out.push({
      system,
      nodes: e.nodes,
      hardwareFailures: e.total,
      top1_2pct: share(counts, 0.012),
      top1_2pctUniform: share(uniform, 0.012),
      top4_8pct: share(counts, 0.048),
      top4_8pctUniform: share(uniform, 0.048),
    });
  }
  return out.sort((a, b) => Number(a.system) - Number(b.system));
}

if (process.argv[2] === undefined) {
  process.stderr.write("usage: npx tsx scripts/reliability/lanl-early-life.ts <LA-UR-05-7318 csv>\n");
  process.exit(2);
}
main(process.argv[2]);
