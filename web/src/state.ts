// The whole app state in the URL: page, scenario text (deflated, base64url) and page options, so a link reproduces
// a result exactly.

export const PAGES = ["scenario", "spec", "train", "plan", "simulate", "reliability", "serve"] as const;
export type Page = (typeof PAGES)[number];

export interface UrlState {
  page: Page;
  /** Scenario text (YAML or JSON) exactly as edited. */
  text?: string;
  /** Systems to compare (catalog ids), first is the reference. */
  cmp?: string[];
  /** Arrival rates of the serving load sweep, requests/s. */
  rates?: number[];
}

const b64url = (bytes: Uint8Array) => {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};
const unb64url = (s: string) => {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
};

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** Text, deflated and base64url-encoded. */
export async function pack(text: string): Promise<string> {
  return b64url(await pipe(new TextEncoder().encode(text), new CompressionStream("deflate-raw")));
}

/** The inverse of pack; throws on a damaged link. */
export async function unpack(packed: string): Promise<string> {
  return new TextDecoder().decode(await pipe(unb64url(packed), new DecompressionStream("deflate-raw")));
}

/** The location hash for a state: `#/page?s=...&cmp=a,b&rates=1,2` (ids, numbers and base64url need no escaping). */
export async function toHash(s: UrlState): Promise<string> {
  const q: string[] = [];
  if (s.text !== undefined) q.push(`s=${await pack(s.text)}`);
  if (s.cmp?.length) q.push(`cmp=${s.cmp.map(encodeURIComponent).join(",")}`);
  if (s.rates?.length) q.push(`rates=${s.rates.join(",")}`);
  return `#/${s.page}${q.length ? `?${q.join("&")}` : ""}`;
}

/** The state a location hash holds; unknown pages fall back to `train`, a damaged scenario to none. */
export async function fromHash(hash: string): Promise<UrlState & { damaged?: boolean }> {
  const m = /^#\/([a-z]+)(?:\?(.*))?$/.exec(hash);
  const page = (PAGES as readonly string[]).includes(m?.[1] ?? "") ? (m?.[1] as Page) : "train";
  const q = new URLSearchParams(m?.[2] ?? "");
  const out: UrlState & { damaged?: boolean } = { page };
  const s = q.get("s");
  if (s) {
    try {
      out.text = await unpack(s);
    } catch {
      out.damaged = true;
    }
  }
  const cmp = q.get("cmp");
  if (cmp) out.cmp = cmp.split(",").filter(Boolean);
  const rates = q.get("rates");
  if (rates) {
    const r = rates.split(",").map(Number);
    if (r.every((x) => Number.isFinite(x) && x > 0)) out.rates = r;
  }
  return out;
}
