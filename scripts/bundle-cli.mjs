#!/usr/bin/env node
// Bundles the CLI for a fast start (run by `npm run build` after tsc): dist/cli/main.js and each command module in
// dist/cli/commands/ become single files holding the core and its pure-JS dependencies (commander, zod, yaml), so a
// command loads one file instead of a few hundred. Each bundle sits where tsc put the module it replaces, so paths
// read from import.meta.url stay right. Left external: the command modules main.js loads lazily, node/ (worker
// threads and queues find their files by path), and packages that are native, large or read files at run time.
import { chmodSync, existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const EXTERNAL_PACKAGES = [
  "bullmq",
  "ioredis",
  "tinypool",
  "linkedom",
  "@observablehq/plot",
  "esbuild",
  "playwright-core",
  "tsx",
];

/** Keeps the lazily loaded command modules and everything under node/ out of the bundles, import paths as written. */
const keepOut = {
  name: "keep-out",
  setup(b) {
    b.onResolve({ filter: /^\.\/commands\/|^(\.\.\/)+node\// }, (args) => ({
      path: args.path,
      external: true,
    }));
  },
};

const commands = readdirSync("cli/commands")
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
  .map((f) => `cli/commands/${f}`);

const t0 = performance.now();
await build({
  entryPoints: ["cli/main.ts", ...commands],
  outbase: "cli",
  outdir: "dist/cli",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: EXTERNAL_PACKAGES,
  plugins: [keepOut],
  // Bundled CommonJS (commander) needs require in an ES module.
  banner: {
    js: "import { createRequire as __zsCreateRequire } from 'node:module'; const require = __zsCreateRequire(import.meta.url);",
  },
  logLevel: "warning",
  legalComments: "none",
  minifyWhitespace: true,
  minifySyntax: true,
});
// tsc's source maps describe the modules the bundles replaced.
for (const f of ["main", ...commands.map((c) => c.slice(4, -3))]) {
  const map = `dist/cli/${f}.js.map`.replace("dist/cli/cli/", "dist/cli/");
  if (existsSync(map)) rmSync(map);
}
// The command list for `zettasim --help`, taken from the commands themselves, so listing them loads none.
const { helpLines } = await import(new URL("../dist/cli/registry.js", import.meta.url).href);
writeFileSync("dist/cli/help.json", `${JSON.stringify(await helpLines(), null, 1)}\n`);
// The package's bin: executable itself, since a rebuild replaces the file that npm's bin link once made executable (an
// npx cache entry made before the rebuild then runs a file without the bit: "zettasim: Permission denied").
chmodSync("dist/cli/main.js", 0o755);
if (process.env.ZETTASIM_BUILD_VERBOSE)
  process.stdout.write(
    `bundled the CLI (${commands.length + 1} modules) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
