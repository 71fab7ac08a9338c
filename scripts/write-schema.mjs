// Build step: writes the scenario JSON Schema to schema/scenario.schema.json so editors can complete and check files.
import { mkdirSync, writeFileSync } from "node:fs";
import { scenarioJsonSchema } from "../dist/src/schema/scenario.js";

mkdirSync(new URL("../schema/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("../schema/scenario.schema.json", import.meta.url),
  `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`,
);
