// Prints the web app's JavaScript size (raw and gzip) after `vite build`, and fails over the 600 kB gzip budget.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_GZIP_BYTES = 600_000;
const dir = new URL("../dist/web/assets/", import.meta.url).pathname;
let raw = 0;
let gz = 0;
const rows = [];
for (const f of readdirSync(dir).sort()) {
  if (!/\.(js|css)$/.test(f)) continue;
  const b = readFileSync(join(dir, f));
  const g = gzipSync(b, { level: 9 }).length;
  if (f.endsWith(".js")) {
    raw += b.length;
    gz += g;
  }
  rows.push(
    `  ${f.padEnd(28)} ${(b.length / 1e3).toFixed(1).padStart(7)} kB ${(g / 1e3).toFixed(1).padStart(7)} kB gzip`,
  );
}
console.log(`web app (dist/web):\n${rows.join("\n")}`);
console.log(
  `  JavaScript total: ${(raw / 1e3).toFixed(1)} kB, ${(gz / 1e3).toFixed(1)} kB gzip (budget ${BUDGET_GZIP_BYTES / 1e3} kB)`,
);
if (gz > BUDGET_GZIP_BYTES) {
  console.error(
    `web app JavaScript is ${(gz / 1e3).toFixed(1)} kB gzip, over the ${BUDGET_GZIP_BYTES / 1e3} kB budget`,
  );
  process.exit(1);
}
