// `npm install`'s prepare step: builds dist/ (the CLI, the library, the web app). `npx zettasim` in the project
// installs the project into npx's cache as a link, which runs prepare again (npm_command=exec) on the same folder:
// that second build is skipped when dist/ is already there, so the README's `npm install && npx zettasim` does not
// build twice (minutes on a loaded 2-core machine).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const built = ["dist/cli/main.js", "dist/src/index.js", "dist/web/index.html"].every((f) => existsSync(f));
if (process.env.npm_command === "exec" && built) process.exit(0);
// Quiet on success (an install says what it added, nothing more); the build's whole output when it fails.
const r = spawnSync("npm", ["run", "--silent", "build"], {
  stdio: ["ignore", "pipe", "pipe"],
  encoding: "utf8",
  maxBuffer: 64 * 1024 * 1024,
  shell: process.platform === "win32",
});
if (r.status !== 0) {
  process.stdout.write(r.stdout ?? "");
  process.stderr.write(r.stderr ?? "");
  process.stderr.write(
    `prepare: \`npm run build\` failed (exit ${r.status ?? r.signal ?? r.error?.message})\n`,
  );
}
process.exit(r.status ?? 1);
