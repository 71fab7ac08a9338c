// The repository's example scenarios, bundled as text: the app starts from them exactly as the CLI reads them.
import YAML from "yaml";
import { DEFAULT_SCENARIO } from "../../src/scenario/default.js";

const files = import.meta.glob("../../examples/*.yaml", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

/** Example file name (as the CLI would name it, examples/x.yaml) to its text. */
export const EXAMPLES: Record<string, string> = Object.fromEntries(
  Object.entries(files).map(([path, text]) => [`examples/${path.split("/").pop()}`, text]),
);

/** The built-in default scenario (what `npx zettasim` runs) as YAML. */
export const DEFAULT_TEXT = `# The built-in default scenario: what \`npx zettasim\` estimates.\n${YAML.stringify(DEFAULT_SCENARIO)}`;

/** A short label for an example: its `name`, else its file name. */
export function exampleLabel(file: string): string {
  const m = /^name:\s*(.+)$/m.exec(EXAMPLES[file] ?? "");
  return m ? m[1].replace(/^["']|["']$/g, "") : file;
}

/** Examples that have a section, for the pages that need one (serving, reliability, simulation). */
export function examplesWith(section: string): string[] {
  return Object.keys(EXAMPLES).filter((f) => new RegExp(`^${section}:`, "m").test(EXAMPLES[f]));
}
