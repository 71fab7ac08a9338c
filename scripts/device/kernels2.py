# Second kernel pass on one GPU: GEMM size grid timed from CUDA-graph replays (device time without host launch cost),
# sustained FP8 GEMM rate, FP8 grouped expert GEMMs, MLA head dims in attention, and whole transformer layers
# (forward + backward) to check that per-kernel times add up to a layer. Run: python3 scripts/device/kernels2.py OUT.json
import json, os, subprocess, sys, time, traceback

import torch
import torch.nn.functional as F

T0 = time.time()
BUDGET_S = float(os.environ.get("KERNELS_BUDGET_S", "300"))
OUT = sys.argv[1] if len(sys.argv) > 1 else "kernels2.json"
dev = torch.device("cuda")
result = {"format": "zettasim-kernel-measurements/1", "sections": {}, "errors": []}


def smi(q):
    try:
        return subprocess.run(["nvidia-smi", f"--query-gpu={q}", "--format=csv,noheader,nounits"], capture_output=True,
                              text=True, timeout=10).stdout.strip()
    except Exception as e:  # noqa: BLE001
        return f"unavailable: {e}"


def save():
    result["wallS"] = round(time.time() - T0, 1)
    json.dump(result, open(OUT, "w"), indent=1)


def time_fn(fn, target_ms=25.0, trials=5):
    fn(); torch.cuda.synchronize()
    s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    s.record(); fn(); e.record(); torch.cuda.synchronize()
    reps = int(min(max(target_ms / max(s.elapsed_time(e), 1e-3), 1), 2000))
    ts = []
    for _ in range(trials):
        s.record()
        for _ in range(reps):
            fn()
        e.record(); torch.cuda.synchronize()
        ts.append(s.elapsed_time(e) / reps / 1e3)
    ts.sort()
    return ts[len(ts) // 2]


def graph_time(fn, inner):
    """Seconds per fn() from replays of a CUDA graph holding `inner` calls (no host launch cost)."""
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for _ in range(2):
            fn()
    torch.cuda.current_stream().wait_stream(s)
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g):
        for _ in range(inner):
            fn()
    return time_fn(g.replay, target_ms=20, trials=5) / inner


def section(name, method):
    def deco(body):
        if time.time() - T0 > BUDGET_S:
            result["errors"].append(f"{name}: skipped, over budget"); return
        t = time.time(); rows = []
        result["sections"][name] = {"method": method, "rows": rows}
        try:
            body(rows)
        except Exception:  # noqa: BLE001
            result["errors"].append(f"{name}: {traceback.format_exc()[-800:]}")
        result["sections"][name]["wallS"] = round(time.time() - t, 1)
        print(f"[{time.time() - T0:6.1f}s] {name}: {len(rows)} rows", flush=True); save()
    return deco


props = torch.cuda.get_device_properties(0)
result["device"] = {"name": props.name, "multiprocessors": props.multi_processor_count, "torch": torch.__version__,
                    "cuda": torch.version.cuda, "driver": smi("driver_version"), "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "smiBefore": smi("clocks.sm,clocks.mem,power.draw,power.limit,temperature.gpu")}
print(json.dumps(result["device"]), flush=True)

DIMS_M = [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384]
DIMS_NK = [512, 1024, 2048, 4096, 8192, 16384]


@section("gemm_grid", "bf16 and fp8 (per-tensor scaled) GEMMs over a grid of M x N x K, timed from CUDA-graph replays of 4 "
         "rotated operand sets (device time only, no host launch cost); TFLOPS = 2MNK/t")
def _(rows):
    e4 = torch.float8_e4m3fn
    one = torch.tensor(1.0, device=dev)
    for prec in ("bf16", "fp8"):
        for M in DIMS_M:
            for N in DIMS_NK:
                for K in (1024, 4096, 16384):
                    if N == 512 and K == 16384 and M < 1024:
                        continue
                    if time.time() - T0 > BUDGET_S * 0.5:
                        return
                    if prec == "bf16":
                        sets = [(torch.randn(M, K, device=dev, dtype=torch.bfloat16), torch.randn(K, N, device=dev, dtype=torch.bfloat16)) for _ in range(4)]
                        fns = [lambda a=a, b=b: torch.matmul(a, b) for a, b in sets]
                    else:
                        sets = [(torch.randn(M, K, device=dev).to(e4), torch.randn(N, K, device=dev).to(e4).t()) for _ in range(4)]
                        fns = [lambda a=a, b=b: torch._scaled_mm(a, b, scale_a=one, scale_b=one, out_dtype=torch.bfloat16) for a, b in sets]
                    def all4():
                        for f in fns:
                            f()
                    flops = 2 * M * N * K
                    inner = int(max(1, min(50, 2e12 / max(flops * 4, 1))))
                    t = graph_time(all4, inner) / 4
                    rows.append({"precision": prec, "M": M, "N": N, "K": K, "s": t, "tflops": flops / t / 1e12})
                    del sets, fns


@section("sustained_fp8", "16384x16384x16384 per-tensor-scaled FP8 GEMMs back to back for 15 s; TFLOPS and nvidia-smi clock, "
         "power, temperature per window")
def _(rows):
    n = 16384
    a = torch.randn(n, n, device=dev).to(torch.float8_e4m3fn); b = torch.randn(n, n, device=dev).to(torch.float8_e4m3fn).t()
    one = torch.tensor(1.0, device=dev)
    s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    end = time.time() + 15
    while time.time() < end:
        s.record()
        for _ in range(200):
            torch._scaled_mm(a, b, scale_a=one, scale_b=one, out_dtype=torch.bfloat16)
        e.record(); torch.cuda.synchronize()
        t = s.elapsed_time(e) / 1e3 / 200
        rows.append({"tflops": 2 * n ** 3 / t / 1e12, "smi": smi("clocks.sm,power.draw,temperature.gpu")})


@section("grouped_fp8", "FP8 grouped expert GEMMs: torch._scaled_grouped_mm with row-wise scales (one launch for G experts of T "
         "tokens), against bf16 torch._grouped_mm on the same shapes; graph-replay timing; TFLOPS = 2*G*T*K*N/t")
def _(rows):
    for G, T, K, N, what in ((32, 512, 7168, 2048, "deepseek-v3 ep8"), (8, 2048, 7168, 2048, "deepseek-v3 ep32"),
                             (32, 128, 7168, 2048, "deepseek-v3 128 tok/expert"), (128, 256, 2048, 768, "qwen3-30B-A3B ep1"),
                             (16, 2048, 2048, 768, "qwen3-30B-A3B ep8"), (32, 1024, 2880, 2880, "gpt-oss-120B ep4"),
                             (8, 4096, 4096, 14336, "mixtral ep1"), (64, 64, 7168, 2048, "64 tok/expert"), (64, 32, 7168, 2048, "32 tok/expert")):
        flops = 2 * G * T * K * N
        row = {"G": G, "tokensPerExpert": T, "K": K, "N": N, "what": what}
        offs = torch.arange(1, G + 1, device=dev, dtype=torch.int32) * T
        a = torch.randn(G * T, K, device=dev, dtype=torch.bfloat16)
        w = torch.randn(G, N, K, device=dev, dtype=torch.bfloat16)
        try:
            row["bf16S"] = graph_time(lambda: torch._grouped_mm(a, w.transpose(-2, -1), offs=offs), 10)
            row["bf16Tflops"] = flops / row["bf16S"] / 1e12
        except Exception as ex:  # noqa: BLE001
            row["bf16Error"] = str(ex)[:200]
        try:
            a8 = a.to(torch.float8_e4m3fn); w8 = w.to(torch.float8_e4m3fn).transpose(-2, -1)
            sa = torch.ones(G * T, device=dev, dtype=torch.float32); sb = torch.ones(G, N, device=dev, dtype=torch.float32)
            row["fp8S"] = graph_time(lambda: torch._scaled_grouped_mm(a8, w8, sa, sb, offs=offs, out_dtype=torch.bfloat16), 10)
            row["fp8Tflops"] = flops / row["fp8S"] / 1e12
        except Exception as ex:  # noqa: BLE001
            row["fp8Error"] = str(ex)[:300]
        rows.append(row)


@section("attention_mla", "Causal attention with MLA head dims (q/k 192, v 128; DeepSeek-V3 training) and head dim 64/256, cuDNN "
         "backend, bf16, fwd+bwd; FLOPs = (2*S^2/2*(Dqk+Dv))*B*H fwd, 3.5x for fwd+bwd (FA accounting)")
def _(rows):
    from torch.nn.attention import SDPBackend, sdpa_kernel
    for Dqk, Dv, H, S in ((192, 128, 128, 4096), (192, 128, 16, 4096), (64, 64, 64, 4096), (256, 256, 16, 8192), (128, 128, 128, 4096)):
        for be_name, be in (("cudnn", SDPBackend.CUDNN_ATTENTION), ("flash", SDPBackend.FLASH_ATTENTION), ("efficient", SDPBackend.EFFICIENT_ATTENTION)):
            B = max(1, 16384 // S)
            q = torch.randn(B, H, S, Dqk, device=dev, dtype=torch.bfloat16, requires_grad=True)
            k = torch.randn(B, H, S, Dqk, device=dev, dtype=torch.bfloat16, requires_grad=True)
            v = torch.randn(B, H, S, Dv, device=dev, dtype=torch.bfloat16, requires_grad=True)
            g = torch.randn(B, H, S, Dv, device=dev, dtype=torch.bfloat16)
            fwd = B * H * (S * S / 2) * 2 * (Dqk + Dv)
            row = {"B": B, "H": H, "S": S, "Dqk": Dqk, "Dv": Dv, "backend": be_name}
            try:
                def fn():
                    with sdpa_kernel(be):
                        F.scaled_dot_product_attention(q, k, v, is_causal=True).backward(g)
                t = time_fn(fn, target_ms=40, trials=3)
                row.update({"s": t, "tflops": 3.5 * fwd / t / 1e12})
            except Exception as ex:  # noqa: BLE001
                row["error"] = str(ex)[:200]
            rows.append(row)


class Layer(torch.nn.Module):
    """A Llama-style decoder layer: RMSNorm, fused QKV GEMM, RoPE-free causal SDPA (cuDNN), out GEMM, RMSNorm, gated MLP."""
    def __init__(s, h, ffn, H, Hkv):
        super().__init__()
        s.h, s.H, s.Hkv, s.d = h, H, Hkv, h // H
        s.qkv = torch.nn.Linear(h, (H + 2 * Hkv) * s.d, bias=False)
        s.o = torch.nn.Linear(h, h, bias=False)
        s.up = torch.nn.Linear(h, 2 * ffn, bias=False)
        s.down = torch.nn.Linear(ffn, h, bias=False)
        s.n1 = torch.nn.RMSNorm(h); s.n2 = torch.nn.RMSNorm(h)

    def forward(s, x):
        from torch.nn.attention import SDPBackend, sdpa_kernel
        B, S, _ = x.shape
        q, k, v = s.qkv(s.n1(x)).split([s.H * s.d, s.Hkv * s.d, s.Hkv * s.d], dim=-1)
        q = q.view(B, S, s.H, s.d).transpose(1, 2); k = k.view(B, S, s.Hkv, s.d).transpose(1, 2); v = v.view(B, S, s.Hkv, s.d).transpose(1, 2)
        with sdpa_kernel([SDPBackend.CUDNN_ATTENTION, SDPBackend.FLASH_ATTENTION]):
            a = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
        x = x + s.o(a.transpose(1, 2).reshape(B, S, s.h))
        u, g = s.up(s.n2(x)).chunk(2, dim=-1)
        return x + s.down(F.silu(u) * g)


@section("layer", "One decoder layer forward + backward in eager PyTorch bf16 (no fusion beyond cuDNN attention), B x S tokens; "
         "model FLOPs = 6 x params x tokens + attention (12*S^2/2*h per sequence, causal half); the layer's measured time beside "
         "the sum of its GEMM, attention and memory-bound parts is the composition check")
def _(rows):
    for name, h, ffn, H, Hkv, S, B in (("llama3-8B", 4096, 14336, 32, 8, 8192, 1), ("llama3-70B tp8-shard-shape", 8192, 28672, 64, 8, 4096, 1),
                                       ("llama2-7B", 4096, 11008, 32, 32, 4096, 2), ("gpt3-2.7B-ish", 2560, 10240, 32, 32, 2048, 4)):
        layer = Layer(h, ffn, H, Hkv).to(dev, torch.bfloat16)
        x = torch.randn(B, S, h, device=dev, dtype=torch.bfloat16, requires_grad=True)
        gy = torch.randn_like(x)
        def fn():
            layer(x).backward(gy)
        t = time_fn(fn, target_ms=60, trials=3)
        params = sum(p.numel() for p in layer.parameters() if p.dim() > 1)
        flops = 6 * params * B * S + 3 * 4 * B * S * S / 2 * h
        rows.append({"what": name, "h": h, "ffn": ffn, "H": H, "Hkv": Hkv, "S": S, "B": B, "s": t, "params": params,
                     "modelFlops": flops, "tflops": flops / t / 1e12})
        del layer, x, gy


result["device"]["smiAfter"] = smi("clocks.sm,clocks.mem,power.draw,power.limit,temperature.gpu")
save()
Sx = result["sections"]
for r in Sx.get("gemm_grid", {}).get("rows", []):
    if r["N"] == r["K"] or r["M"] in (64, 1024, 16384):
        print("grid", r["precision"], r["M"], r["N"], r["K"], f'{r["tflops"]:.0f}')
for r in Sx.get("sustained_fp8", {}).get("rows", []):
    print("sustained fp8", f'{r["tflops"]:.0f}', r["smi"])
for r in Sx.get("grouped_fp8", {}).get("rows", []):
    print("grouped", r["what"], f'bf16 {r.get("bf16Tflops", -1):.0f} fp8 {r.get("fp8Tflops", -1):.0f}', r.get("fp8Error", "")[:150], r.get("bf16Error", "")[:100])
for r in Sx.get("attention_mla", {}).get("rows", []):
    print("attn", r["Dqk"], r["Dv"], r["H"], r["S"], r["backend"], f'{r.get("tflops", -1):.0f}', r.get("error", "")[:100])
for r in Sx.get("layer", {}).get("rows", []):
    print("layer", r["what"], f'{r["s"] * 1e3:.2f} ms {r["tflops"]:.0f} TF')
print("errors", json.dumps(result["errors"])[:2000]); print(f"done in {time.time() - T0:.0f}s")
