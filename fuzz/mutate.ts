// Scenario inputs for the fuzzer: seed scenarios from examples/ and the catalog, mutated by a seeded generator into
// valid-looking, extreme, misspelt, mistyped and malformed variants, as YAML or JSON text.
import { readdirSync, readFileSync } from "node:fs";
import { stringify } from "yaml";
import { modelIds } from "../src/catalog/models-resolve.js";
import { chipIds, systemIds } from "../src/catalog/resolve.js";
import { Rng } from "../src/core/rng.js";
import { DEFAULT_SCENARIO } from "../src/scenario/default.js";
import { parseText } from "../src/scenario/load.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Numbers that break arithmetic: zero, signs, extremes, non-integers, overflow once multiplied by a unit. */
const NUMBERS = [
  0,
  -0,
  -1,
  1,
  2,
  3,
  0.5,
  0.999,
  1.5,
  7,
  64,
  1000,
  4096,
  65536,
  524288,
  1e-300,
  5e-324,
  1e-9,
  1e-6,
  1e6,
  1e9,
  1e12,
  1e15,
  1e18,
  1e300,
  1.7976931348623157e308,
  -1e300,
  2 ** 31,
  2 ** 32,
  2 ** 32 + 1,
  2 ** 53,
  2 ** 53 + 2,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

/** Strings that reach prototypes, enums of other fields, ids of other kinds, or nothing at all. */
const STRINGS = [
  "",
  "constructor",
  "__proto__",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "prototype",
  "0",
  "NaN",
  "-1",
  "x".repeat(300),
  "ñ€😀",
  "switch",
  "fat-tree",
  "torus",
  "full-mesh",
  "nd-full-mesh",
  "rail-optimized",
  "interleaved",
  "dualpipe",
  "zero-bubble",
  "1f1b",
  "fp8",
  "fp4",
  "bf16",
  "full",
  "none",
  "poisson",
  "gamma",
  "on-off",
  "trace",
  "colocated",
  "disaggregated",
  "iteration",
  "collective",
  "all-to-all",
  "all-reduce",
  "ring",
  "hierarchical",
  "analytical",
  "flow",
];

const SPECIAL_KEYS = ["constructor", "__proto__", "toString", "valueOf", "extends", "id", "name", "*"];

/** Text fragments spliced into YAML to reach the parser's edges. */
const TEXT_SPLICES = [
  "[",
  "]",
  "{",
  "}",
  "[[[[[[[[",
  "]]]]]]]]",
  ": ",
  "- ",
  "\t",
  "\n",
  "#",
  "&a ",
  "*a",
  "*nope",
  "<<: *a\n",
  "---\n",
  "...\n",
  "%YAML 1.2\n",
  "!!str ",
  "!!float ",
  "!!binary ",
  "!!set ",
  "!!map ",
  "? ",
  "|\n",
  ">-\n",
  '"',
  "'",
  "\\",
  "\u0000",
  "\ufeff",
  ".nan",
  ".inf",
  "-.inf",
  "0x1F",
  "0o17",
  "1e999",
  "~",
  "null",
];

/** The seed inputs: every example, the built-in default, and each catalog system alone and with small jobs. */
export function seedCorpus(root: URL): Json[] {
  const out: Json[] = [];
  const dir = new URL("examples/", root);
  for (const f of readdirSync(dir)
    .filter((x) => /\.(ya?ml|json)$/.test(x))
    .sort()) {
    out.push(parseText(readFileSync(new URL(f, dir), "utf8"), f).value as Json);
  }
  out.push(JSON.parse(JSON.stringify(DEFAULT_SCENARIO)) as Json);
  for (const id of systemIds()) {
    out.push({ system: id });
    out.push({
      system: id,
      model: "llama3-70b",
      training: { seqLength: 4096, globalBatchSize: 512, tp: 8, pp: 2, trainTokens: 1e12 },
      reliability: { idealTrainingDays: 10, trials: 20 },
    });
    out.push({
      system: id,
      simulation: { run: "collective", collective: { op: "all-reduce", sizeMiB: 64 } },
    });
  }
  out.push({
    system: "atlas-950-superpod",
    model: "deepseek-v3",
    serving: {
      mode: "colocated",
      colocated: { instances: 2, instanceChips: 32 },
      workload: {
        arrival: { kind: "gamma", ratePerS: 5, cv: 2 },
        requests: 50,
        inputTokens: { kind: "lognormal", meanTokens: 2000, cv: 1 },
      },
      slo: { ttftMs: 2000, tpotMs: 50 },
      pricePerChipHourUsd: { default: 2 },
    },
  });
  out.push({
    system: {
      extends: "gb200-nvl72",
      chips: 576,
      tiers: [{ name: "scale-out", topology: "fat-tree", bandwidthGBps: 50 }],
    },
    model: "llama3-8b",
    training: { seqLength: 8192, globalBatchSize: 576, chips: 576 },
    simulation: { run: "iteration" },
  });
  return out;
}

/** Every key and every string value in the corpus, to splice into other places. */
export function vocabulary(corpus: Json[]): { keys: string[]; strings: string[] } {
  const keys = new Set<string>(SPECIAL_KEYS);
  const strings = new Set<string>([...STRINGS, ...systemIds(), ...chipIds(), ...modelIds()]);
  const walk = (v: Json) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        keys.add(k);
        walk(x);
      }
    else if (typeof v === "string" && v.length < 40) strings.add(v);
  };
  corpus.forEach(walk);
  return { keys: [...keys].sort(), strings: [...strings].sort() };
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];

/** Paths to every node of a value (root excluded). */
function paths(v: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  if (Array.isArray(v))
    v.forEach((x, i) => {
      out.push([...prefix, i]);
      paths(x, [...prefix, i], out);
    });
  else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) {
      out.push([...prefix, k]);
      paths(x, [...prefix, k], out);
    }
  return out;
}

function getAt(v: Json, path: (string | number)[]): Json {
  let cur: Json = v;
  for (const p of path) cur = (cur as Record<string | number, Json>)[p];
  return cur;
}

function setAt(v: Json, path: (string | number)[], x: Json | undefined): void {
  const parent = getAt(v, path.slice(0, -1)) as Record<string | number, Json>;
  const k = path[path.length - 1];
  if (x === undefined) {
    if (Array.isArray(parent)) parent.splice(k as number, 1);
    else delete parent[k];
  } else if (k === "__proto__")
    Object.defineProperty(parent, k, { value: x, enumerable: true, writable: true, configurable: true });
  else parent[k] = x;
}

/** A value of a random kind: number, string, bool, null, small object or array. */
function randomValue(rng: Rng, vocab: { keys: string[]; strings: string[] }, depth = 0): Json {
  switch (rng.int(depth > 1 ? 4 : 6)) {
    case 0:
      return pick(rng, NUMBERS);
    case 1:
      return pick(rng, vocab.strings);
    case 2:
      return rng.int(2) === 0;
    case 3:
      return null;
    case 4: {
      const o: { [k: string]: Json } = {};
      for (let i = rng.int(3); i >= 0; i--) o[pick(rng, vocab.keys)] = randomValue(rng, vocab, depth + 1);
      return o;
    }
    default:
      return Array.from({ length: rng.int(4) }, () => randomValue(rng, vocab, depth + 1));
  }
}

/** One structural mutation of a value in place. */
function mutateOnce(rng: Rng, v: Json, vocab: { keys: string[]; strings: string[] }): void {
  const all = paths(v);
  if (all.length === 0) return;
  // Most mutations keep a number a number (an extreme one), so inputs get past the schema into the engines.
  const numeric = all.filter((p) => typeof getAt(v, p) === "number");
  const path = numeric.length > 0 && rng.int(10) < 6 ? pick(rng, numeric) : pick(rng, all);
  const cur = getAt(v, path);
  const op = typeof cur === "number" && rng.int(10) < 8 ? 0 : rng.int(10);
  if (op <= 3 && typeof cur === "number") {
    const r = rng.int(4);
    const x =
      r === 0
        ? pick(rng, NUMBERS)
        : r === 1
          ? cur * 10 ** (rng.int(41) - 20)
          : r === 2
            ? cur + rng.int(5) - 2
            : cur * (1 + rng.next());
    setAt(v, path, x);
  } else if (op <= 3) setAt(v, path, typeof cur === "string" ? pick(rng, vocab.strings) : pick(rng, NUMBERS));
  else if (op === 4) setAt(v, path, undefined);
  else if (op === 5) setAt(v, path, randomValue(rng, vocab));
  else if (op === 6 && cur && typeof cur === "object" && !Array.isArray(cur)) {
    setAt(v, [...path, pick(rng, vocab.keys)], randomValue(rng, vocab));
  } else if (op === 7 && Array.isArray(cur) && cur.length > 0) {
    cur.push(JSON.parse(JSON.stringify(pick(rng, cur))) as Json);
  } else if (op === 8 && cur && typeof cur === "object" && !Array.isArray(cur)) {
    // Rename a key: misspellings and prototype names.
    const keys = Object.keys(cur);
    if (keys.length > 0) {
      const k = pick(rng, keys);
      const x = cur[k];
      delete cur[k];
      const to =
        rng.int(2) === 0 ? pick(rng, SPECIAL_KEYS) : `${k.slice(0, -1)}${rng.int(2) === 0 ? "" : "s"}`;
      setAt(v, [...path, to], x);
    }
  } else {
    const top = v as { [k: string]: Json };
    if (rng.int(2) === 0)
      top.system = {
        extends: pick(rng, systemIds()),
        chips: pick(rng, [72, 144, 1024, 8064, 16384, 524288, 3, 0]),
      };
    else top.seed = pick(rng, NUMBERS);
  }
}

/** Splices fragments into text: the parser's edges rather than the schema's. */
function mutateText(rng: Rng, text: string): string {
  let t = text;
  for (let n = 1 + rng.int(3); n > 0; n--) {
    const at = rng.int(t.length + 1);
    const op = rng.int(5);
    if (op === 0) t = t.slice(0, at) + t.slice(at + 1 + rng.int(8));
    else if (op === 1)
      t =
        t.slice(0, at) +
        pick(rng, TEXT_SPLICES).repeat(1 + rng.int(rng.int(8) === 0 ? 3000 : 3)) +
        t.slice(at);
    else if (op === 2) t = t.slice(0, at);
    else if (op === 3) t = t.slice(0, at) + String.fromCharCode(rng.int(0x3000)) + t.slice(at);
    else t = `a: &a ${t.slice(0, 40).replace(/\n/g, " ")}\n${t}`;
  }
  return t;
}

/** The fuzz input with index `i` for a run seeded `seed`: the same pair always gives the same text. */
export function fuzzInput(
  corpus: Json[],
  vocab: { keys: string[]; strings: string[] },
  seed: number,
  i: number,
): string {
  const rng = new Rng(seed, i % 0xffffffff);
  const v = JSON.parse(JSON.stringify(pick(rng, corpus))) as Json;
  const n = rng.int(4);
  for (let k = 0; k < n; k++) mutateOnce(rng, v, vocab);
  const asJson = rng.int(3) === 0;
  // JSON has no NaN or Infinity: they go in as YAML's .nan and .inf, which a JSON-looking file may carry.
  let text = asJson
    ? JSON.stringify(
        v,
        (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? `@@${x}@@` : x),
        1,
      ).replace(/"@@(NaN|Infinity|-Infinity)@@"/g, (_m, x: string) =>
        x === "NaN" ? ".nan" : x === "Infinity" ? ".inf" : "-.inf",
      )
    : stringify(v, { aliasDuplicateObjects: false });
  if (rng.int(6) === 0) text = mutateText(rng, text);
  return text;
}
