// Model catalog: dense and MoE transformer architectures, each with its source.
import type { ModelFile } from "../schema/model.js";

type Entry = ModelFile & { id: string; name: string };

const NARAYANAN = "Narayanan et al. 2021, arXiv 2104.04473, Table 1";
const KORTHIKANTI = "Korthikanti et al. 2022, arXiv 2205.05198, Table 3";

/** A GPT-style model of the Megatron papers: 4h MLP with GeLU, MHA, 51,200-token vocabulary. */
function megatronGpt(
  id: string,
  name: string,
  layers: number,
  hidden: number,
  heads: number,
  source: string,
): Entry {
  return {
    id,
    name,
    layers,
    hiddenSize: hidden,
    ffnHiddenSize: 4 * hidden,
    heads,
    kvHeads: heads,
    vocabSize: 51200,
    gatedMlp: false,
    tiedEmbeddings: true,
    sources: [
      {
        fields: ["layers", "hiddenSize", "heads"],
        source,
        confidence: "P",
        note: "ffnHiddenSize = 4 x hidden, vocabulary 51,200 and tied input/output embeddings as in the paper's GPT setup",
      },
    ],
  };
}

/** gpt-oss (OpenAI 2025): 2,880-wide, 64 q / 8 kv heads of 64, top-4 of `experts` experts 2,880 wide, 128-token window on alternate layers. */
function gptOss(id: string, name: string, layers: number, experts: number): Entry {
  return {
    id,
    name,
    layers,
    hiddenSize: 2880,
    ffnHiddenSize: 2880,
    heads: 64,
    kvHeads: 8,
    headDim: 64,
    vocabSize: 201088,
    gatedMlp: true,
    moe: { experts, topK: 4, sharedExperts: 0, expertFfnHiddenSize: 2880, denseLayers: 0 },
    slidingWindow: { windowTokens: 128, localLayers: 1, globalLayers: 1 },
    sources: [
      {
        fields: [
          "layers",
          "hiddenSize",
          "ffnHiddenSize",
          "heads",
          "kvHeads",
          "headDim",
          "vocabSize",
          "moe",
          "slidingWindow",
        ],
        source: `openai/${id} config.json (Hugging Face): sliding_window 128, layer_types alternating sliding_attention and full_attention from layer 0; OpenAI gpt-oss-120b & gpt-oss-20b model card, arXiv 2508.10925, sec. 2`,
        confidence: "S",
        note: "the learned attention sinks (one logit per head) and the biases of the projections are not modelled",
      },
    ],
  };
}

const DSV3_MLA = {
  type: "mla" as const,
  qLoraRank: 1536,
  kvLoraRank: 512,
  qkNopeHeadDim: 128,
  qkRopeHeadDim: 64,
  vHeadDim: 128,
};

export const MODEL_FILES: Entry[] = [
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
  megatronGpt("megatron-gpt-1.7b", "Megatron GPT 1.7B", 24, 2304, 24, NARAYANAN),
  megatronGpt("megatron-gpt-3.6b", "Megatron GPT 3.6B", 30, 3072, 32, NARAYANAN),
  megatronGpt("megatron-gpt-7.5b", "Megatron GPT 7.5B", 36, 4096, 32, NARAYANAN),
  megatronGpt("megatron-gpt-18.4b", "Megatron GPT 18.4B", 40, 6144, 48, NARAYANAN),
  megatronGpt("megatron-gpt-22b", "Megatron GPT 22B", 48, 6144, 64, KORTHIKANTI),
  megatronGpt("megatron-gpt-39.1b", "Megatron GPT 39.1B", 48, 8192, 64, NARAYANAN),
  megatronGpt("megatron-gpt-76.1b", "Megatron GPT 76.1B", 60, 10240, 80, NARAYANAN),
  megatronGpt("megatron-gpt-145.6b", "Megatron GPT 145.6B", 80, 12288, 96, NARAYANAN),
  megatronGpt("megatron-gpt-310.1b", "Megatron GPT 310.1B", 96, 16384, 128, NARAYANAN),
  megatronGpt("megatron-gpt-530b", "Megatron GPT 530B (MT-NLG shape)", 105, 20480, 128, NARAYANAN),
  megatronGpt("megatron-gpt-1t", "Megatron GPT 1T", 128, 25600, 160, NARAYANAN),
  {
    id: "megascale-175b",
    name: "MegaScale 175B",
    layers: 96,
    hiddenSize: 12288,
    ffnHiddenSize: 49152,
    heads: 128,
    kvHeads: 128,
    vocabSize: 64000,
    gatedMlp: false,
    sources: [
      {
        fields: ["layers", "hiddenSize", "heads", "vocabSize"],
        source: "Jiang et al. 2024 (MegaScale), arXiv 2402.15627, Table 1",
        confidence: "P",
      },
    ],
  },
  ...(
    [
      ["llama3-8b", "Llama 3 8B", 32, 4096, 14336, 32],
      ["llama3-70b", "Llama 3 70B", 80, 8192, 28672, 64],
      ["llama3-405b", "Llama 3 405B", 126, 16384, 53248, 128],
    ] as const
  ).map(
    ([id, name, layers, hidden, ffn, heads]): Entry => ({
      id,
      name,
      layers,
      hiddenSize: hidden,
      ffnHiddenSize: ffn,
      heads,
      kvHeads: 8,
      vocabSize: 128256,
      gatedMlp: true,
      sources: [
        {
          fields: ["layers", "hiddenSize", "ffnHiddenSize", "heads", "kvHeads", "vocabSize"],
          source: "Llama 3 Herd of Models, arXiv 2407.21783, Table 3",
          confidence: "P",
        },
      ],
    }),
  ),
  {
    id: "deepseek-v3",
    name: "DeepSeek-V3 (671B total, 37B active)",
    layers: 61,
    hiddenSize: 7168,
    ffnHiddenSize: 18432,
    heads: 128,
    kvHeads: 128,
    vocabSize: 129280,
    gatedMlp: true,
    attention: DSV3_MLA,
    moe: { experts: 256, topK: 8, sharedExperts: 1, expertFfnHiddenSize: 2048, denseLayers: 3 },
    mtpDepth: 1,
    sources: [
      {
        fields: ["layers", "hiddenSize", "heads", "attention", "moe", "mtpDepth"],
        source: "DeepSeek-V3 Technical Report, arXiv 2412.19437, section 4.2",
        confidence: "P",
      },
      {
        fields: ["ffnHiddenSize", "vocabSize"],
        source: "deepseek-ai/DeepSeek-V3 config.json (intermediate_size, vocab_size)",
        confidence: "P",
      },
    ],
  },
  gptOss("gpt-oss-120b", "gpt-oss-120b (117B total, 5.1B active)", 36, 128),
  gptOss("gpt-oss-20b", "gpt-oss-20b (21B total, 3.6B active)", 24, 32),
  {
    id: "mistral-7b-v0.1",
    name: "Mistral 7B v0.1",
    layers: 32,
    hiddenSize: 4096,
    ffnHiddenSize: 14336,
    heads: 32,
    kvHeads: 8,
    headDim: 128,
    vocabSize: 32000,
    gatedMlp: true,
    slidingWindow: { windowTokens: 4096 },
    sources: [
      {
        fields: [
          "layers",
          "hiddenSize",
          "ffnHiddenSize",
          "heads",
          "kvHeads",
          "headDim",
          "vocabSize",
          "slidingWindow",
        ],
        source: "Jiang et al. 2023, Mistral 7B, arXiv 2310.06825, Table 1 (window_size 4096 on every layer)",
        confidence: "P",
      },
    ],
  },
  {
    id: "gemma-3-27b",
    name: "Gemma 3 27B (text decoder)",
    layers: 62,
    hiddenSize: 5376,
    ffnHiddenSize: 21504,
    heads: 32,
    kvHeads: 16,
    headDim: 128,
    vocabSize: 262208,
    gatedMlp: true,
    tiedEmbeddings: true,
    slidingWindow: { windowTokens: 1024, localLayers: 5, globalLayers: 1 },
    sources: [
      {
        fields: ["slidingWindow"],
        source:
          "Gemma Team 2025, Gemma 3 Technical Report, arXiv 2503.19786, sec. 2 (5 local layers per global, local window 1024)",
        confidence: "P",
      },
      {
        fields: [
          "layers",
          "hiddenSize",
          "ffnHiddenSize",
          "heads",
          "kvHeads",
          "headDim",
          "vocabSize",
          "tiedEmbeddings",
        ],
        source: "google/gemma-3-27b-it config.json, text_config (Hugging Face)",
        confidence: "S",
        note: "the vision encoder (about 0.4B) is not modelled",
      },
    ],
  },
  {
    id: "mixtral-8x22b",
    name: "Mixtral 8x22B (141B total, 39B active)",
    layers: 56,
    hiddenSize: 6144,
    ffnHiddenSize: 16384,
    heads: 48,
    kvHeads: 8,
    vocabSize: 32768,
    gatedMlp: true,
    moe: { experts: 8, topK: 2, sharedExperts: 0, expertFfnHiddenSize: 16384, denseLayers: 0 },
    sources: [
      {
        fields: ["layers", "hiddenSize", "ffnHiddenSize", "heads", "kvHeads", "vocabSize", "moe"],
        source: "mistralai/Mixtral-8x22B config.json (Hugging Face); Mistral AI announcement 2024-04-17",
        confidence: "S",
      },
    ],
  },
  {
    id: "qwen3-235b-a22b",
    name: "Qwen3-235B-A22B",
    layers: 94,
    hiddenSize: 4096,
    ffnHiddenSize: 12288,
    heads: 64,
    kvHeads: 4,
    headDim: 128,
    vocabSize: 151936,
    gatedMlp: true,
    moe: { experts: 128, topK: 8, sharedExperts: 0, expertFfnHiddenSize: 1536, denseLayers: 0 },
    sources: [
      {
        fields: ["layers", "heads", "kvHeads", "moe.experts", "moe.topK"],
        source: "Qwen3 Technical Report, arXiv 2505.09388, Table 2",
        confidence: "P",
      },
      {
        fields: ["hiddenSize", "ffnHiddenSize", "headDim", "vocabSize", "moe.expertFfnHiddenSize"],
        source: "Qwen/Qwen3-235B-A22B config.json (Hugging Face)",
        confidence: "S",
      },
    ],
  },
  {
    id: "kimi-k2",
    name: "Kimi K2 (1.04T total, 32B active)",
    layers: 61,
    hiddenSize: 7168,
    ffnHiddenSize: 18432,
    heads: 64,
    kvHeads: 64,
    vocabSize: 163840,
    gatedMlp: true,
    attention: DSV3_MLA,
    moe: { experts: 384, topK: 8, sharedExperts: 1, expertFfnHiddenSize: 2048, denseLayers: 1 },
    sources: [
      {
        fields: ["layers", "hiddenSize", "heads", "moe", "attention"],
        source: "Kimi K2 technical report, arXiv 2507.20534, Table 2; moonshotai/Kimi-K2 config.json",
        confidence: "S",
      },
    ],
  },
  {
    id: "pangu-ultra-moe-718b",
    name: "Pangu Ultra MoE 718B (39B active)",
    layers: 61,
    hiddenSize: 7680,
    ffnHiddenSize: 18432,
    heads: 128,
    kvHeads: 128,
    vocabSize: 153600,
    gatedMlp: true,
    attention: DSV3_MLA,
    moe: { experts: 256, topK: 8, sharedExperts: 1, expertFfnHiddenSize: 2048, denseLayers: 3 },
    mtpDepth: 1,
    sources: [
      {
        fields: ["layers", "hiddenSize", "moe.experts", "moe.topK"],
        source: "Tang et al. 2025, Pangu Ultra MoE, arXiv 2505.04519",
        confidence: "P",
      },
      {
        fields: [
          "ffnHiddenSize",
          "heads",
          "vocabSize",
          "moe.sharedExperts",
          "moe.expertFfnHiddenSize",
          "mtpDepth",
        ],
        source: "openPangu-Ultra-MoE-718B model configuration (ascend-tribe, GitCode)",
        confidence: "S",
      },
      {
        fields: ["attention", "moe.denseLayers"],
        source: "assumption",
        confidence: "A",
        note: "MLA ranks and 3 leading dense layers taken as in DeepSeek-V3, whose layout the model follows",
      },
    ],
  },
  {
    id: "dense-1t",
    name: "Synthetic dense 1T (Megatron 1T shape)",
    layers: 128,
    hiddenSize: 25600,
    ffnHiddenSize: 102400,
    heads: 160,
    kvHeads: 160,
    vocabSize: 51200,
    gatedMlp: false,
    sources: [
      {
        fields: ["layers", "hiddenSize", "ffnHiddenSize", "heads", "vocabSize"],
        source: NARAYANAN,
        confidence: "A",
        note: "synthetic: the 1T row of the paper, chosen so a 1T dense scenario has a published reference run",
      },
    ],
  },
  {
    id: "moe-2t",
    name: "Synthetic MoE 2T (DeepSeek-V3 layout, 512 experts)",
    layers: 64,
    hiddenSize: 8192,
    ffnHiddenSize: 24576,
    heads: 128,
    kvHeads: 128,
    vocabSize: 129280,
    gatedMlp: true,
    attention: DSV3_MLA,
    moe: { experts: 512, topK: 8, sharedExperts: 1, expertFfnHiddenSize: 2560, denseLayers: 3 },
    mtpDepth: 1,
    sources: [
      {
        fields: ["layers", "hiddenSize", "ffnHiddenSize", "heads", "attention", "moe"],
        source: "synthetic",
        confidence: "A",
        note: "DeepSeek-V3 layout (MLA, 1 shared + top-8 routed, 3 dense layers) widened to hidden 8192 and 512 experts of 2560 so the total is about 2T and the active about 52B; sizes named by Atlas 950 training claims",
      },
    ],
  },
  {
    id: "moe-10t",
    name: "Synthetic MoE 10T (DeepSeek-V3 layout, 1024 experts)",
    layers: 96,
    hiddenSize: 12288,
    ffnHiddenSize: 36864,
    heads: 128,
    kvHeads: 128,
    vocabSize: 129280,
    gatedMlp: true,
    attention: DSV3_MLA,
    moe: { experts: 1024, topK: 8, sharedExperts: 1, expertFfnHiddenSize: 2816, denseLayers: 3 },
    mtpDepth: 1,
    sources: [
      {
        fields: ["layers", "hiddenSize", "ffnHiddenSize", "heads", "attention", "moe"],
        source: "synthetic",
        confidence: "A",
        note: "DeepSeek-V3 layout scaled to hidden 12288, 96 layers and 1024 experts of 2816 so the total is about 10T and the active about 0.12T; sizes named by Atlas 950/960 SuperCluster claims",
      },
    ],
  },
];
