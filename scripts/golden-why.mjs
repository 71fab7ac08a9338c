#!/usr/bin/env node
// Records why a golden file changed: appends "<sha256> <date> <reason>" to <file>.why, which test/golden-reasons.test.ts
// requires to end with the file's current hash. Usage: npm run golden:why -- <golden file> "<reason>"
import { appendFileSync, readFileSync } from "node:fs";
import { goldenHash } from "./golden-hash.mjs";

const [file, ...words] = process.argv.slice(2);
const reason = words.join(" ").trim();
if (!file || reason.length < 10) {
  process.stderr.write('usage: npm run golden:why -- <golden file> "<reason, at least a sentence>"\n');
  process.exit(2);
}
const hash = goldenHash(readFileSync(file));
const date = new Date().toISOString().slice(0, 10);
appendFileSync(`${file}.why`, `${hash} ${date} ${reason.replace(/\s+/g, " ")}\n`);
process.stdout.write(`${file}.why: ${hash} ${reason}\n`);
