// Extracts each Ascend 950DT/950PR bin's cube, clock, tile, memory and read-rate fields from Huawei's CANN runtime
// platform descriptions (hicann/runtime cann-dev/Ascend950*.ini) into data/kernels/ascend-950-platform-published.json,
// section platform_config (rows only; the file's other keys are kept), with the peaks and read ceilings they imply.
// Usage: npx tsx scripts/extract/ascend-950-platform.ts <hicann/runtime git dir, checkout or folder at the commit>
import { readFileSync, writeFileSync } from "node:fs";
import { type PyJson, parsePreserving, pyDumps, pyRoundFloat } from "./lib/py-json.js";
import { ExtractError, isMain, openSource, readSourceFile } from "./lib/source.js";

export const COMMIT = "681ef7610df13c8128982901142a2c869ddbb53e";
const OUT = "data/kernels/ascend-950-platform-published.json";
const DIR = "src/platform/platform_config/cann-dev";
/** Every Ascend950DT/PR description in DIR at COMMIT, in git's order. */
export const BINS = [
  ..."950x 950y 9571 9572 9573 9574 9575 9576 9577 9578 9581 9581x 9582 9582x 9583 9584 9585 9586 9587 9588 9591 9592 9595 9596 95A1 95A2"
    .split(" ")
    .map((b) => `Ascend950DT_${b}`),
  ..."950z 9579 957b 957bx 957c 957d 9589 958b 9599".split(" ").map((b) => `Ascend950PR_${b}`),
];

/** `[section] key=value` lines of an .ini file, keyed "section/key"; comments and blank lines skipped. */
export function parseIni(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let section = "";
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const head = /^\[(.*)\]$/.exec(line);
    if (head) section = head[1];
    else if (line.includes("=") && !line.startsWith("#")) {
      const at = line.indexOf("=");
      out.set(`${section}/${line.slice(0, at)}`, line.slice(at + 1).trim());
    }
  }
  return out;
}

/** One bin's row: its config fields and the peaks (TFLOP/s) and cube read ceiling (TB/s) they imply. */
export function binRow(soc: string, ini: Map<string, string>): PyJson {
  const get = (key: string): string => {
    const v = ini.get(key);
    if (v === undefined) throw new ExtractError(`${soc}: no ${key}`);
    return v;
  };
  const int = (key: string): number => {
    const v = Number(get(key));
    if (!Number.isInteger(v)) throw new ExtractError(`${soc}: ${key} = ${get(key)} is not an integer`);
    return v;
  };
  const mkn = (key: string): number[] => get(`DtypeMKN/${key}`).split(",").map(Number);
  for (const k of ["m", "n", "k"])
    if (int(`AICoreSpec/cube_${k}_size`) !== 16) throw new ExtractError(`${soc}: cube_${k}_size is not 16`);
  const cores = int("SoCInfo/cube_core_cnt");
  const mhz = int("AICoreSpec/cube_freq");
  if (int("SoCInfo/ai_core_cnt") !== cores || int("VectorCoreSpec/vec_freq") !== mhz)
    throw new ExtractError(`${soc}: ai_core_cnt or vec_freq differs from the cube's`);
  const read = int("AICoreMemoryRates/ddr_read_rate");
  const peak = ([m, k, n]: number[]) => pyRoundFloat((cores * m * k * n * 2 * mhz * 1e6) / 1e12, 1);
  const tiles = {
    mknDefault: mkn("Default"),
    mknFp8E4m3: mkn("DT_FLOAT8_E4M3FN"),
    mknHif8: mkn("DT_HIFLOAT8"),
    mknFp4E2m1: mkn("DT_FLOAT4_E2M1"),
    mknInt8: mkn("DT_INT8"),
  };
  const memoryBytes = int("SoCInfo/memory_size");
  return {
    soc: get("version/SoC_version"),
    file: `${soc}.ini`,
    cubeCores: cores,
    vectorCores: int("SoCInfo/vector_core_cnt"),
    cubeFreqMHz: mhz,
    ...tiles,
    memoryBytes,
    l2Bytes: int("SoCInfo/l2_size"),
    cubeDdrReadBytesPerCycle: read,
    vectorDdrReadBytesPerCycle: int("VectorCoreMemoryRates/ddr_read_rate"),
    peakTflopsBf16: peak(tiles.mknDefault),
    peakTflopsFp8: peak(tiles.mknFp8E4m3),
    peakTflopsFp4: peak(tiles.mknFp4E2m1),
    peakTopsInt8: peak(tiles.mknInt8),
    cubeCoreReadTBps: pyRoundFloat((cores * read * mhz * 1e6) / 1e12, 3),
    memoryGiB: pyRoundFloat(memoryBytes / 2 ** 30, 2),
  };
}

function main(): void {
  const source = openSource(process.argv[2], COMMIT, "ascend-950-platform.ts <hicann/runtime git dir>");
  const doc = parsePreserving(readFileSync(OUT, "utf8")) as {
    sections: Record<string, Record<string, PyJson>>;
  };
  doc.sections.platform_config.rows = BINS.map((soc) =>
    binRow(soc, parseIni(readSourceFile(source, `${DIR}/${soc}.ini`).toString("utf8"))),
  );
  writeFileSync(OUT, pyDumps(doc, { indent: 1, ensureAscii: false }));
}

if (isMain(import.meta.url)) main();
