// Step parts of every speculative-decoding serving case (and any case whose id contains an argument): the verify pass's GEMMs, attention, overheads and communication, the draft passes, and the colocated prefill share, beside the measured TPOT.
//
// Usage: npx tsx scripts/spec-breakdown.ts [idSubstring...]   Reads validation/*.json; changes nothing.
import { evaluateServingCase, prepareServingCase } from "../src/validate/serving.js";
import { projectCases } from "./validation-files.js";

const want = process.argv.slice(2);
const ms = (x: number) => (x * 1e3).toFixed(2);
for (const { case: c } of projectCases()) {
  if (c.kind !== "inference") continue;
  const id = c.id as string;
  const s = c.serving as Record<string, unknown>;
  const spec = ((s.speculativeTokens as number | undefined) ?? 0) > 0;
  if (!(want.length === 0 ? spec : want.some((w) => id.includes(w)))) continue;
  const p = prepareServingCase(c);
  const r = evaluateServingCase(p);
  const st = r.step;
  console.log(
    `${id}: err ${r.errorPct.toFixed(1)}% step ${ms(st.timeS)} ms (gemm ${ms(st.gemmS)}, attn ${ms(st.attentionCoreS)}, overhead ${ms(st.overheadS)}, comm ${ms(st.commS)} exposed ${ms(st.exposedCommS)}, draft ${ms(st.draftS)}) + colocated prefill ${ms(r.colocatedPrefillS)}; gained ${String(s.acceptedTokensPerStep ?? 1)}, drafts ${String(s.speculativeTokens ?? 0)}, seqs/chip ${String(s.batchPerChip)}; TPOT ${r.predicted.tpotMs?.toFixed(2)} vs ${String((r.measured as Record<string, number>).tpotMs)} ms`,
  );
}
