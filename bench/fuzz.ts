// Fuzz benchmark: 1,000,000 scenario inputs through the loader and 100,000 through every engine, on every core,
// with a 10 s hang limit; prints the counts, the findings and the throughput (run: npx tsx bench/fuzz.ts).
// Smaller runs: npx tsx bench/fuzz.ts --loader 100000 --engines 10000.
import { availableParallelism } from "node:os";
import { fuzz } from "../fuzz/run.js";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const loader = arg("loader", 1_000_000);
const engines = arg("engines", 100_000);
const threads = arg("threads", availableParallelism());
const rep = await fuzz({
  seed: arg("seed", 1),
  loader,
  engines,
  threads,
  hangMs: 10_000,
  onProgress: (d, t) => {
    if (d % 20_000 === 0)
      process.stderr.write(`  ${d.toLocaleString("en-US")} / ${t.toLocaleString("en-US")}\n`);
  },
});
const n = (x: number) => x.toLocaleString("en-US");
console.log(
  `fuzz: ${n(rep.inputs)} inputs through the loader, ${n(rep.withEngines)} through the engines, ${threads} threads`,
);
console.log(`  wall ${rep.wallS.toFixed(0)} s, ${(rep.inputs / rep.wallS).toFixed(0)} inputs/s`);
console.log(`  ${n(rep.results)} results, ${n(rep.inputErrors)} input errors naming their field or line`);
console.log(
  `  engine runs to a result: ${Object.entries(rep.engineRuns)
    .map(([k, v]) => `${k} ${n(v)}`)
    .join(", ")}`,
);
console.log(`  slowest input ${rep.slowestMs.toFixed(0)} ms (#${rep.slowestIndex})`);
console.log(
  `  uncaught errors or NaN/Infinity/negative outputs: ${rep.bugs.length}; hangs over 10 s of CPU time: ${rep.hangs.length}`,
);
for (const b of rep.bugs.slice(0, 20)) console.log(`    #${b.index} ${b.stage}: ${b.what.slice(0, 200)}`);
for (const h of rep.hangs.slice(0, 20)) console.log(`    #${h.index} ${h.stage}: hang`);
