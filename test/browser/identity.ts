// What the identity test runs in Node and in Chromium: every example through every command its sections ask for
// (a sweep file through all its points), as the JSON the CLI prints. Bundled by esbuild for the browser; core only.
import { cos, exp, expm1, log, pow } from "../../src/core/math.js";
import { deriveSpec } from "../../src/report/derive.js";
import { reliabilityJson, servingJsonOf, simulationJson, trainingJson } from "../../src/report/results.js";
import { parseText, scenarioFromValue } from "../../src/scenario/load.js";
import { prepareSweep } from "../../src/sweep/expand.js";
import { runPointLines } from "../../src/sweep/point.js";

/** One example file's name and text. */
export interface ExampleText {
  name: string;
  text: string;
}

/**
 * `<example> <command>` to the text `zettasim <command> <example> --json` prints (a sweep: its JSON lines). Cost:
 * every engine's, once per example.
 */
export async function examplesJson(examples: ExampleText[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const texts = new Map(examples.map((e) => [e.name, e.text]));
  const put = (key: string, v: unknown) => {
    out[key] = `${JSON.stringify(v, null, 2)}\n`;
  };
  for (const { name, text } of examples) {
    const file = `examples/${name}`;
    const { value, at } = parseText(text, file);
    if ("axes" in (value as object)) {
      const sweep = prepareSweep(
        value,
        file,
        (p) => parseText(texts.get(p) ?? "", p).value as Record<string, unknown>,
      );
      out[`${name} sweep`] = `${(await runPointLines(sweep, 0, sweep.points)).join("\n")}\n`;
      continue;
    }
    const sc = scenarioFromValue(value, file, at);
    put(`${name} spec`, deriveSpec(sc.system));
    if (sc.model && sc.file.training) put(`${name} train`, trainingJson(sc));
    if (sc.file.simulation) put(`${name} simulate`, simulationJson(sc));
    if (sc.file.reliability) put(`${name} reliability`, reliabilityJson(sc));
    if (sc.file.serving) put(`${name} serve`, servingJsonOf(sc));
  }
  return out;
}

/** The core's elementary functions on `xs` (and Math.log, to show the engines differ), as numbers. */
export function mathSamples(xs: number[]): { core: number[][]; mathLog: number[] } {
  return {
    core: xs.map((x) => [log(x), exp(x * 10 - 40), expm1(x - 3.5), pow(x, 1.7), pow(x, 7), cos(x)]),
    mathLog: xs.map((x) => Math.log(x)),
  };
}
