// Parses scenario text (YAML or JSON) and resolves it against the catalog; errors carry file, line and column.
import { isNode } from "yaml";
import type { z } from "zod";
import { scenarioFromAstraSim } from "../catalog/astra-sim.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import type { System } from "../catalog/types.js";
import { type InputIssue, requireArgument, ZettasimError } from "../core/errors.js";
import { isAstraSimNetwork } from "../schema/astra-sim.js";
import { issuesFromZod } from "../schema/issues.js";
import type { ModelConfig } from "../schema/model.js";
import { scenarioFile } from "../schema/scenario.js";
import { type Located, parseYaml } from "./parse.js";

/** A scenario after validation: the file's own sections plus the resolved system and model. */
export interface Scenario {
  file: z.output<typeof scenarioFile>;
  system: System;
  model?: ModelConfig;
  seed: number;
  name: string;
}

/** Adds line and column to each issue by walking the YAML document to the deepest node on the issue's path. */
function locate(issues: InputIssue[], at: Located | undefined): InputIssue[] {
  if (!at) return issues;
  return issues.map((issue) => {
    for (let n = issue.path.length; n >= 0; n--) {
      const node = at.doc.getIn(issue.path.slice(0, n), true);
      if (isNode(node) && node.range) {
        // For a missing key, point at the parent; for a present one, at its value.
        const pos = at.lines.linePos(node.range[0]);
        return { ...issue, line: pos.line, column: pos.col };
      }
    }
    return issue;
  });
}

/**
 * Parses YAML or JSON text into a plain mapping, or throws a ZettasimError with line and column (limits: TEXT_LIMITS).
 * `kind` names the file in the refusal of an empty text or one that is not a mapping (default: a scenario's words).
 */
export function parseText(text: string, file = "<scenario>", kind?: string): { value: unknown; at: Located } {
  requireArgument(text, "text", "string", "YAML or JSON text");
  if (text.trim() === "") {
    throw new ZettasimError(
      [{ path: [], message: "the file is empty", expected: kind ?? "a scenario with at least a `system`" }],
      file,
    );
  }
  const { value, at } = parseYaml(text, file);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ZettasimError(
      [
        {
          path: [],
          message: kind ? "not a mapping of fields" : "a scenario must be a mapping of fields",
          value,
          expected: kind ?? "an object with a `system` field",
        },
      ],
      file,
    );
  }
  return { value, at };
}

/**
 * Resolves a scenario's catalog references. The default resolves afresh; a caller that loads many scenarios with
 * the same system or model (a sweep) passes one that remembers (results are shared, never mutated).
 */
export interface ScenarioResolver {
  system(ref: z.output<typeof scenarioFile>["system"]): System;
  model(ref: NonNullable<z.output<typeof scenarioFile>["model"]>): ModelConfig;
}

const FRESH: ScenarioResolver = {
  system: (ref) => resolveSystem(ref, ["system"]),
  model: (ref) => resolveModel(ref, ["model"]),
};

/** Validates a parsed value as a scenario and resolves its catalog references. */
export function scenarioFromValue(
  value: unknown,
  file = "<scenario>",
  at?: Located,
  resolver: ScenarioResolver = FRESH,
): Scenario {
  // An ASTRA-sim analytical network file is read as it is: a system of its dimensions and a collective on it.
  if (isAstraSimNetwork(value)) value = astraScenario(value, file, at);
  const r = scenarioFile.safeParse(value, { reportInput: true });
  if (!r.success) throw new ZettasimError(locate(issuesFromZod(r.error, [], scenarioFile), at), file);
  try {
    const system = resolver.system(r.data.system);
    const model = r.data.model === undefined ? undefined : resolver.model(r.data.model);
    return { file: r.data, system, model, seed: r.data.seed ?? 1, name: r.data.name ?? file };
  } catch (e) {
    if (e instanceof ZettasimError) throw new ZettasimError(locate(e.issues, at), file);
    throw e;
  }
}

/** The scenario an ASTRA-sim network file stands for; its errors point at the file's own lines. */
function astraScenario(value: unknown, file: string, at?: Located): unknown {
  try {
    return scenarioFromAstraSim(value, file);
  } catch (e) {
    if (e instanceof ZettasimError) throw new ZettasimError(locate(e.issues, at), file);
    throw e;
  }
}

/** Parses and resolves scenario text. `file` names it in errors. Throws ZettasimError on any problem. */
export function loadScenarioText(text: string, file = "<scenario>"): Scenario {
  const { value, at } = parseText(text, file);
  return scenarioFromValue(value, file, at);
}
