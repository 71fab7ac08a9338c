// Least-squares regression of the signed step-time error of every dense training case on its features (model size, sequence, tokens per chip per step, sharding, precision, framework, compile, context parallel, chip family, source fleet): which mechanism, if any, the dense misses share (docs/training.md, "Dense training misses at small scale").
//
// Usage: npx tsx cli/main.ts validate --json > /tmp/v.json && npx tsx scripts/dense-residuals.ts /tmp/v.json
// Prints each coefficient (percentage points of signed error) with its standard error and t, over all dense cases
// and again without the Meta-fleet rows (torchao and torchtitan tables). Reads the case files for the features.
import { readFileSync } from "node:fs";
import { projectCases } from "./validation-files.js";

interface Report {
  cases: { id: string; kind: string; errorPct: number | null }[];
}
type Row = { id: string; y: number; x: Record<string, number> };
/** The fields of a validation case this survey reads. */
interface CaseFields {
  id: string;
  kind: string;
  model: { moe?: unknown; layers: number; hiddenSize: number; ffnHiddenSize: number };
  training: {
    tp?: number | null;
    pp?: number | null;
    cp?: number | null;
    zero?: number | null;
    precision?: string | null;
    framework?: string | null;
    compile?: boolean | null;
    globalBatchSize: number;
    seqLength: number;
  };
  hardware: { chips: number; chip: string | { extends?: string; id?: string } };
}

const report = JSON.parse(readFileSync(process.argv[2] ?? "/dev/stdin", "utf8")) as Report;
const err = new Map(report.cases.filter((c) => c.kind === "training").map((c) => [c.id, c.errorPct]));
const rows: Row[] = [];
for (const { case: raw } of projectCases("training")) {
  const c = raw as unknown as CaseFields;
  const e = err.get(c.id);
  if (c.kind !== "training" || e === null || e === undefined || c.model?.moe) continue;
  const m = c.model;
  const t = c.training;
  const hw = c.hardware;
  const chip = typeof hw.chip === "string" ? hw.chip : (hw.chip.extends ?? hw.chip.id ?? "");
  const split = (t.tp ?? 1) * (t.pp ?? 1) * (t.cp ?? 1);
  const tokensPerChip = (t.globalBatchSize * t.seqLength) / (hw.chips / split);
  const params = m.layers * (4 * m.hiddenSize * m.hiddenSize + 3 * m.hiddenSize * m.ffnHiddenSize);
  const tpu = /tpu|v5|v6/.test(chip);
  rows.push({
    id: c.id,
    y: e,
    x: {
      log10Params: Math.log10(params),
      log2Seq: Math.log2(t.seqLength),
      log2TokensPerChip: Math.log2(tokensPerChip),
      zero3: (t.zero ?? 0) >= 3 ? 1 : 0,
      fp8: t.precision === "fp8" ? 1 : 0,
      torchtitan: t.framework === "torchtitan" ? 1 : 0,
      deepspeed: t.framework === "deepspeed" ? 1 : 0,
      compile: t.compile ? 1 : 0,
      cp: (t.cp ?? 1) > 1 ? 1 : 0,
      metaFleet: /^(torchao|tt)-/.test(c.id) ? 1 : 0,
      cdna: chip.startsWith("mi") ? 1 : 0,
      blackwell: !tpu && /^(b|gb)/.test(chip) ? 1 : 0,
      tpu: tpu ? 1 : 0,
      log2Chips: Math.log2(hw.chips),
    },
  });
}

/** Solves the normal equations by Gauss-Jordan elimination with partial pivoting; returns the inverse too. */
function ols(rs: Row[], names: string[]): { b: number[]; se: number[]; r2: number } {
  const X = rs.map((r) => [1, ...names.map((n) => r.x[n])]);
  const y = rs.map((r) => r.y);
  const k = names.length + 1;
  const a = Array.from({ length: k }, (_, i) =>
    Array.from({ length: 2 * k }, (_, j) =>
      j < k ? X.reduce((s, row) => s + row[i] * row[j], 0) : j - k === i ? 1 : 0,
    ),
  );
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    const d = a[c][c];
    if (Math.abs(d) < 1e-12)
      throw new Error(`singular design at column ${c} (a feature constant over the rows?)`);
    for (let j = 0; j < 2 * k; j++) a[c][j] /= d;
    for (let r = 0; r < k; r++)
      if (r !== c) {
        const f = a[r][c];
        for (let j = 0; j < 2 * k; j++) a[r][j] -= f * a[c][j];
      }
  }
  const inv = a.map((row) => row.slice(k));
  const xty = Array.from({ length: k }, (_, i) => X.reduce((s, row, n) => s + row[i] * y[n], 0));
  const b = inv.map((row) => row.reduce((s, v, j) => s + v * xty[j], 0));
  const fit = X.map((row) => row.reduce((s, v, j) => s + v * b[j], 0));
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  const sse = y.reduce((s, v, n) => s + (v - fit[n]) ** 2, 0);
  const sst = y.reduce((s, v) => s + (v - mean) ** 2, 0);
  const s2 = sse / (y.length - k);
  return { b, se: inv.map((row, i) => Math.sqrt(s2 * row[i])), r2: 1 - sse / sst };
}

function print(title: string, rs: Row[], names: string[]): void {
  const { b, se, r2 } = ols(rs, names);
  console.log(`${title}: ${rs.length} dense training cases, R^2 ${r2.toFixed(2)}`);
  ["const", ...names].forEach((n, i) => {
    const coef = `${b[i] >= 0 ? "+" : ""}${b[i].toFixed(2)}`;
    console.log(
      `  ${n.padEnd(18)} ${coef.padStart(7)} +- ${se[i].toFixed(2).padStart(5)}  t ${(b[i] / se[i]).toFixed(1)}`,
    );
  });
}

const all = Object.keys(rows[0]?.x ?? {});
print("all", rows, all);
print(
  "without the Meta-fleet rows",
  rows.filter((r) => r.x.metaFleet === 0),
  all.filter((n) => n !== "metaFleet"),
);
