// The inspection log (validation/inspections.jsonl): who looked at a holdout case's prediction after its declaration, and what they did; declarations.json carries a one-line summary of it per case.

/** One entry of the log: a holdout case and one note on how its prediction was looked at. */
export interface InspectionNote {
  id: string;
  note: string;
}

/**
 * Parses the log's text: one JSON object `{id, note}` per line, blank lines ignored. A line that is not such an object
 * is refused with its line number. Cost O(text).
 */
export function parseInspections(text: string): InspectionNote[] {
  const out: InspectionNote[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new Error(
        `validation/inspections.jsonl line ${i + 1}: not JSON (expected {"id": ..., "note": ...})`,
      );
    }
    const o = v as Record<string, unknown>;
    if (typeof o?.id !== "string" || typeof o.note !== "string" || o.note === "")
      throw new Error(
        `validation/inspections.jsonl line ${i + 1}: expected {"id": string, "note": non-empty string}`,
      );
    out.push({ id: o.id, note: o.note });
  });
  return out;
}

/** Engineer names in a note: the word before "engineer" ("2026-12-02, s10-tpu engineer (issue 13): ..."). */
function engineers(note: string): string[] {
  const skip = new Set(["data", "the", "a", "second", "round"]);
  return [...note.matchAll(/([A-Za-z0-9][A-Za-z0-9_.-]*) engineer\b/g)]
    .map((m) => m[1])
    .filter((n) => !skip.has(n.toLowerCase()));
}

/**
 * The `inspected` summary of one case in declarations.json, from its notes in the log: the dates the notes name and
 * the engineers who wrote them, in the order they first appear. Cost O(notes).
 */
export function inspectionSummary(notes: readonly string[]): string {
  const text = notes.join(" ");
  const dates = [...new Set(text.match(/20\d\d-\d\d-\d\d/g) ?? [])].sort();
  const names = [...new Set(notes.flatMap(engineers))];
  const span =
    dates.length === 0 ? "" : dates.length === 1 ? `${dates[0]} ` : `${dates[0]} to ${dates.at(-1)} `;
  return `inspected ${span}by ${names.length > 0 ? names.join(", ") : "see the notes"} (notes: validation/inspections.jsonl)`;
}

/** Each case's summary from the whole log, by case id. Cost O(notes). */
export function inspectionSummaries(log: readonly InspectionNote[]): Map<string, string> {
  const byId = new Map<string, string[]>();
  for (const { id, note } of log) byId.set(id, [...(byId.get(id) ?? []), note]);
  return new Map([...byId].map(([id, notes]) => [id, inspectionSummary(notes)]));
}
