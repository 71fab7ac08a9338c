// Model catalog: dense and MoE transformer architectures, each with its source.
import type { ModelFile } from "../scenario/model.js";

export const MODEL_FILES: (ModelFile & { id: string; name: string })[] = [
  {
    id: "gpt3-175b",
    name: "GPT-3 175B",
    layers: 96,
    hiddenSize: 12288,
    ffnHiddenSize: 49152,
    heads: 96,
    kvHeads: 96,
    vocabSize: 51200,
    gatedMlp: false,
    sources: [
      {
        fields: ["layers", "hiddenSize", "ffnHiddenSize", "heads", "vocabSize"],
        source: "Brown et al. 2020, arXiv 2005.14165, Table 2.1",
        confidence: "P",
      },
    ],
  },
];
