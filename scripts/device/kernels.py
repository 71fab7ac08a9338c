# Kernel-level measurements on one GPU (GEMMs by shape and precision, grouped expert GEMMs, attention, memory-bound
# ops, optimizer step, launch overhead, host copies, sustained clock), written as JSON for the chip profiles.
# Run on the device machine: python3 scripts/device/kernels.py OUT.json  (about 3 minutes on one H200).
import json, math, os, subprocess, sys, time, traceback

import torch
import torch.nn.functional as F

T0 = time.time()
BUDGET_S = float(os.environ.get("KERNELS_BUDGET_S", "330"))
OUT = sys.argv[1] if len(sys.argv) > 1 else "kernels.json"
dev = torch.device("cuda")
torch.backends.cuda.matmul.allow_tf32 = False
result = {"format": "zettasim-kernel-measurements/1", "sections": {}, "errors": []}


def smi(query):
    try:
        return subprocess.run(["nvidia-smi", f"--query-gpu={query}", "--format=csv,noheader,nounits"],
                              capture_output=True, text=True, timeout=10).stdout.strip()
    except Exception as e:  # noqa: BLE001
        return f"unavailable: {e}"


def save():
    result["wallS"] = round(time.time() - T0, 1)
    with open(OUT, "w") as f:
        json.dump(result, f, indent=1)


def over_budget():
    return time.time() - T0 > BUDGET_S


def time_fn(fn, target_ms=25.0, trials=5):
    """Median seconds per call: warm up, size the repeat count to ~target_ms, then `trials` event-timed blocks."""
    fn(); torch.cuda.synchronize()
    s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    s.record(); fn(); e.record(); torch.cuda.synchronize()
    one = max(s.elapsed_time(e), 1e-3)
    reps = int(min(max(target_ms / one, 1), 2000))
    times = []
    for _ in range(trials):
        s.record()
        for _ in range(reps):
            fn()
        e.record(); torch.cuda.synchronize()
        times.append(s.elapsed_time(e) / reps / 1e3)
    times.sort()
    return times[len(times) // 2], reps


def section(name, method):
    def deco(body):
        if over_budget():
            result["errors"].append(f"{name}: skipped, over the time budget")
            return
        t = time.time()
        rows = []
        result["sections"][name] = {"method": method, "rows": rows}
        try:
            body(rows)
        except Exception:  # noqa: BLE001
            result["errors"].append(f"{name}: {traceback.format_exc()[-800:]}")
        result["sections"][name]["wallS"] = round(time.time() - t, 1)
        print(f"[{time.time() - T0:6.1f}s] {name}: {len(rows)} rows", flush=True)
        save()
    return deco


props = torch.cuda.get_device_properties(0)
result["device"] = {
    "name": props.name, "multiprocessors": props.multi_processor_count,
    "memoryBytes": props.total_memory, "l2Bytes": getattr(props, "L2_cache_size", None),
    "torch": torch.__version__, "cuda": torch.version.cuda, "cudnn": torch.backends.cudnn.version(),
    "driver": smi("driver_version"), "smiBefore": smi("clocks.sm,clocks.mem,power.draw,power.limit,temperature.gpu"),
    "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
}
print(json.dumps(result["device"]), flush=True)
save()

ROT = 4  # operand sets rotated so small problems are not served from the 50-60 MB L2


def gemm_bf16(M, N, K, dtype=torch.bfloat16):
    sets = [(torch.randn(M, K, device=dev, dtype=dtype), torch.randn(K, N, device=dev, dtype=dtype)) for _ in range(ROT)]
    i = [0]

    def fn():
        a, b = sets[i[0] % ROT]; i[0] += 1
        torch.matmul(a, b)
    t, reps = time_fn(fn)
    del sets
    return t, reps


SQUARE = [256, 512, 1024, 2048, 4096, 6144, 8192, 12288, 16384]
# Transformer-shaped GEMMs: M = tokens per micro-batch (seq x mbs), N x K from hidden sizes split by TP.
SHAPES = [
    # (M, N, K, what)
    (4096, 12288, 4096, "llama-7B qkv tp1"), (4096, 4096, 4096, "llama-7B proj tp1"),
    (4096, 22016, 4096, "llama-7B fc1 gated tp1"), (4096, 4096, 11008, "llama-7B fc2 tp1"),
    (8192, 10240, 8192, "llama-70B qkv tp1"), (8192, 1280, 8192, "llama-70B qkv tp8"),
    (8192, 57344, 8192, "llama-70B fc1 tp1"), (8192, 7168, 8192, "llama-70B fc1 tp8"),
    (8192, 8192, 3584, "llama-70B fc2 tp8"), (8192, 1024, 8192, "llama-70B proj tp8"),
    (16384, 6656, 16384, "405B qkv tp8"), (16384, 13312, 16384, "405B fc1 tp8"), (16384, 16384, 6656, "405B fc2 tp8"),
    (2048, 18432, 12288, "gpt3-175B qkv tp2 seq2048"), (2048, 6144, 12288, "gpt3-175B fc1 tp8"),
    (2048, 12288, 6144, "gpt3-175B fc2 tp8"), (2048, 4608, 12288, "gpt3-175B qkv tp8"),
    (4096, 7168, 18432, "deepseek dense fc2"), (4096, 2112, 7168, "deepseek mla q/kv down"),
    (1024, 8192, 8192, "small M"), (512, 8192, 8192, "small M"), (256, 8192, 8192, "small M"), (128, 8192, 8192, "small M"),
    (64, 8192, 8192, "decode M"), (32, 8192, 8192, "decode M"), (16, 8192, 8192, "decode M"),
    (8192, 256, 8192, "small N"), (8192, 512, 8192, "small N"), (8192, 8192, 256, "small K"), (8192, 8192, 512, "small K"),
]


@section("gemm_bf16", "torch.matmul bf16 x bf16 -> bf16 (cuBLAS), fp32 accumulate; median of 5 event-timed blocks of "
         "repeated calls (~25 ms each) after warm-up; 4 rotated operand sets; random normal data; TFLOPS = 2MNK/t")
def _(rows):
    for n in SQUARE:
        t, reps = gemm_bf16(n, n, n)
        rows.append({"M": n, "N": n, "K": n, "what": "square", "s": t, "tflops": 2 * n ** 3 / t / 1e12})
    for M, N, K, what in SHAPES:
        t, reps = gemm_bf16(M, N, K)
        rows.append({"M": M, "N": N, "K": K, "what": what, "s": t, "tflops": 2 * M * N * K / t / 1e12})


def fp8_gemm(M, N, K, rowwise):
    e4 = torch.float8_e4m3fn
    sets = []
    for _ in range(ROT):
        a = torch.randn(M, K, device=dev).to(e4)
        b = torch.randn(N, K, device=dev).to(e4).t()  # column-major K x N as cuBLASLt wants
        if rowwise:
            sa = torch.rand(M, 1, device=dev, dtype=torch.float32) + 0.5
            sb = torch.rand(1, N, device=dev, dtype=torch.float32) + 0.5
        else:
            sa = torch.tensor(1.0, device=dev); sb = torch.tensor(1.0, device=dev)
        sets.append((a, b, sa, sb))
    i = [0]

    def fn():
        a, b, sa, sb = sets[i[0] % ROT]; i[0] += 1
        torch._scaled_mm(a, b, scale_a=sa, scale_b=sb, out_dtype=torch.bfloat16)
    t, _ = time_fn(fn)
    return t


@section("gemm_fp8", "torch._scaled_mm e4m3 x e4m3 -> bf16 (cuBLASLt), per-tensor and per-row scales; same timing as gemm_bf16; "
         "excludes the bf16->fp8 casts (see memory_bound 'cast' rows)")
def _(rows):
    for n in SQUARE:
        for rowwise in (False, True):
            t = fp8_gemm(n, n, n, rowwise)
            rows.append({"M": n, "N": n, "K": n, "what": "square", "scaling": "row" if rowwise else "tensor",
                         "s": t, "tflops": 2 * n ** 3 / t / 1e12})
    for M, N, K, what in SHAPES:
        t = fp8_gemm(M, N, K, False)
        rows.append({"M": M, "N": N, "K": K, "what": what, "scaling": "tensor", "s": t, "tflops": 2 * M * N * K / t / 1e12})


# Grouped expert GEMMs: G experts, T tokens per expert, hidden K, expert FFN width N (up: K->N, down: N->K).
GROUPED = [
    # (G experts on this rank, tokens per expert, hidden, expert width, what)
    (8, 4096, 4096, 14336, "mixtral-8x7B ep1"), (2, 8192, 4096, 14336, "mixtral-8x7B ep4"),
    (32, 512, 7168, 2048, "deepseek-v3 ep8"), (8, 2048, 7168, 2048, "deepseek-v3 ep32"), (4, 4096, 7168, 2048, "deepseek-v3 ep64"),
    (32, 128, 7168, 2048, "deepseek-v3 decode-ish"), (32, 32, 7168, 2048, "deepseek-v3 decode"),
    (128, 256, 2048, 768, "qwen3-30B-A3B ep1"), (16, 2048, 2048, 768, "qwen3-30B-A3B ep8"),
    (128, 512, 4096, 1536, "qwen3-235B ep1"), (16, 4096, 4096, 1536, "qwen3-235B ep8"),
    (32, 1024, 2880, 2880, "gpt-oss-120B ep4"), (128, 256, 2880, 2880, "gpt-oss-120B ep1"),
]


@section("grouped_gemm", "MoE expert GEMMs, bf16: torch._grouped_mm over G experts with T tokens each (one launch) against a "
         "Python loop of G torch.matmul calls; up-projection K->N; TFLOPS = 2*G*T*K*N/t; median of 5 timed blocks")
def _(rows):
    for G, T, K, N, what in GROUPED:
        a = torch.randn(G * T, K, device=dev, dtype=torch.bfloat16)
        w = torch.randn(G, N, K, device=dev, dtype=torch.bfloat16)  # stored N x K per expert, used transposed
        flops = 2 * G * T * K * N
        row = {"G": G, "tokensPerExpert": T, "K": K, "N": N, "what": what}
        offs = torch.arange(1, G + 1, device=dev, dtype=torch.int32) * T
        try:
            wt = w.transpose(-2, -1)
            t, _ = time_fn(lambda: torch._grouped_mm(a, wt, offs=offs))
            row["groupedS"] = t; row["groupedTflops"] = flops / t / 1e12
        except Exception as e:  # noqa: BLE001
            row["groupedError"] = str(e)[:200]
        chunks = a.split(T)

        def loop():
            for g in range(G):
                torch.matmul(chunks[g], w[g].t())
        t, _ = time_fn(loop)
        row["loopS"] = t; row["loopTflops"] = flops / t / 1e12
        rows.append(row)
        del a, w


def attn_case(B, H, Hkv, S, D, backend, bwd):
    from torch.nn.attention import SDPBackend, sdpa_kernel
    be = {"flash": SDPBackend.FLASH_ATTENTION, "cudnn": SDPBackend.CUDNN_ATTENTION}[backend]
    q = torch.randn(B, H, S, D, device=dev, dtype=torch.bfloat16, requires_grad=bwd)
    k = torch.randn(B, Hkv, S, D, device=dev, dtype=torch.bfloat16, requires_grad=bwd)
    v = torch.randn(B, Hkv, S, D, device=dev, dtype=torch.bfloat16, requires_grad=bwd)
    if Hkv != H:  # expand GQA heads (what frameworks without native GQA kernels do); cost of the expand is outside the kernel
        k2 = k.repeat_interleave(H // Hkv, dim=1).detach().requires_grad_(bwd)
        v2 = v.repeat_interleave(H // Hkv, dim=1).detach().requires_grad_(bwd)
    else:
        k2, v2 = k, v
    g = torch.randn(B, H, S, D, device=dev, dtype=torch.bfloat16)

    def fn():
        with sdpa_kernel(be):
            o = F.scaled_dot_product_attention(q, k2, v2, is_causal=True)
            if bwd:
                o.backward(g)
    t, _ = time_fn(fn, target_ms=40, trials=3)
    return t


@section("attention", "F.scaled_dot_product_attention, bf16, causal, head dim D, forced backend (flash = FlashAttention-2 in "
         "PyTorch; cudnn = cuDNN fused attention); fwd FLOPs = 4*B*H*S^2*D/2 (causal half), fwd+bwd = 3.5x fwd (FA accounting: "
         "bwd recomputes scores, 5 matmuls vs 2); tokens per call B*S = 16K")
def _(rows):
    for S in (1024, 2048, 4096, 8192, 16384, 32768):
        B = max(1, 16384 // S)
        for H, Hkv, D in ((32, 32, 128), (64, 8, 128)):
            for backend in ("flash", "cudnn"):
                for bwd in (False, True):
                    if over_budget():
                        return
                    row = {"B": B, "H": H, "Hkv": Hkv, "S": S, "D": D, "backend": backend, "pass": "fwd+bwd" if bwd else "fwd"}
                    fwd = 4 * B * H * S * S * D / 2
                    flops = fwd * (3.5 if bwd else 1.0)
                    try:
                        t = attn_case(B, H, Hkv, S, D, backend, bwd)
                        row.update({"s": t, "tflops": flops / t / 1e12})
                    except Exception as e:  # noqa: BLE001
                        row["error"] = str(e)[:200]
                    rows.append(row)


@section("decode_attention", "Decode attention: one query token per sequence against a KV cache of length L, bf16, GQA via "
         "enable_gqa (math/efficient backend chosen by PyTorch); bytes = K and V read once; GB/s = bytes/t")
def _(rows):
    for B, H, Hkv, L, D in ((64, 64, 8, 4096, 128), (64, 64, 8, 16384, 128), (16, 64, 8, 65536, 128),
                            (256, 32, 8, 2048, 128), (8, 64, 8, 131072, 128)):
        q = torch.randn(B, H, 1, D, device=dev, dtype=torch.bfloat16)
        k = torch.randn(B, Hkv, L, D, device=dev, dtype=torch.bfloat16)
        v = torch.randn(B, Hkv, L, D, device=dev, dtype=torch.bfloat16)
        kv_bytes = 2 * B * Hkv * L * D * 2
        row = {"B": B, "H": H, "Hkv": Hkv, "L": L, "D": D, "kvBytes": kv_bytes}
        try:
            t, _ = time_fn(lambda: F.scaled_dot_product_attention(q, k, v, enable_gqa=True))
            row.update({"s": t, "gbps": kv_bytes / t / 1e9})
        except Exception as e:  # noqa: BLE001
            row["error"] = str(e)[:200]
        rows.append(row)
        del q, k, v


@section("memory_bound", "Memory-bound kernels on 256M-element (512 MB bf16) tensors unless noted: bytes = every input read "
         "once + every output written once; GB/s = bytes/t. Eager PyTorch kernels (what frameworks without fusion run)")
def _(rows):
    n = 1 << 28
    x = torch.randn(n, device=dev, dtype=torch.bfloat16)
    y = torch.randn(n, device=dev, dtype=torch.bfloat16)
    out = torch.empty_like(x)
    h = 8192
    x2 = x.view(-1, h); w = torch.ones(h, device=dev, dtype=torch.bfloat16)
    cases = [
        ("copy", lambda: out.copy_(x), 4 * n),
        ("add", lambda: torch.add(x, y, out=out), 6 * n),
        ("silu*mul (gated MLP act)", lambda: torch.mul(F.silu(x), y, out=out), 6 * n),
        ("gelu", lambda: F.gelu(x, approximate="tanh"), 4 * n),
        ("rms_norm h=8192", lambda: F.rms_norm(x2, (h,), w), 4 * n),
        ("layer_norm h=8192", lambda: F.layer_norm(x2, (h,), w), 4 * n),
        ("softmax rows of 8192", lambda: torch.softmax(x2, dim=-1), 4 * n),
        ("cast bf16->fp8 e4m3", lambda: x.to(torch.float8_e4m3fn), 3 * n),
        ("cast bf16->fp32", lambda: x.float(), 6 * n),
    ]
    for name, fn, nbytes in cases:
        if over_budget():
            return
        t, _ = time_fn(fn)
        rows.append({"what": name, "bytes": nbytes, "s": t, "gbps": nbytes / t / 1e9})
    # MoE permute / unpermute: gather rows of (tokens x topk, hidden) and scatter-add them back
    tokens, topk, hid = 16384, 8, 7168
    xs = torch.randn(tokens, hid, device=dev, dtype=torch.bfloat16)
    idx = torch.randint(0, tokens, (tokens * topk,), device=dev)
    perm = torch.empty(tokens * topk, hid, device=dev, dtype=torch.bfloat16)
    t, _ = time_fn(lambda: torch.index_select(xs, 0, idx, out=perm))
    nb = 2 * tokens * topk * hid * 2
    rows.append({"what": "moe permute (index_select, topk 8, h 7168)", "bytes": nb, "s": t, "gbps": nb / t / 1e9})
    acc = torch.zeros(tokens, hid, device=dev, dtype=torch.bfloat16)
    t, _ = time_fn(lambda: acc.index_add_(0, idx, perm))
    nb = (2 * tokens * topk * hid + 2 * tokens * hid) * 2
    rows.append({"what": "moe unpermute (index_add_, topk 8, h 7168)", "bytes": nb, "s": t, "gbps": nb / t / 1e9})
    logits = torch.randn(tokens, 256, device=dev, dtype=torch.float32)
    t, _ = time_fn(lambda: torch.topk(torch.softmax(logits, -1), 8, dim=-1))
    rows.append({"what": "router softmax+topk 16384x256 -> 8", "bytes": tokens * 256 * 4, "s": t,
                 "gbps": tokens * 256 * 4 / t / 1e9})


@section("optimizer", "torch.optim.AdamW(fused=True) step over fp32 parameters with fp32 grads and two fp32 moments "
         "(the sharded-optimizer step of mixed-precision training); bytes = 16 read + 12 written per parameter")
def _(rows):
    for nparams in (1 << 26, 1 << 28):
        p = torch.nn.Parameter(torch.randn(nparams, device=dev))
        p.grad = torch.randn_like(p)
        opt = torch.optim.AdamW([p], lr=1e-4, fused=True)
        opt.step()
        t, _ = time_fn(opt.step, target_ms=20, trials=3)
        rows.append({"params": nparams, "s": t, "nsPerParam": t / nparams * 1e9, "gbps": 28 * nparams / t / 1e9})
        del p, opt


@section("launch", "Per-kernel launch cost: 2,000 back-to-back launches of a 1-element add, eager (CPU launch path) and "
         "replayed from a CUDA graph; seconds per kernel")
def _(rows):
    a = torch.ones(1, device=dev); b = torch.ones(1, device=dev)
    N = 2000

    def eager():
        for _ in range(N):
            torch.add(a, b, out=a)
    t, _ = time_fn(eager, target_ms=10, trials=5)
    rows.append({"mode": "eager", "sPerKernel": t / N})
    g = torch.cuda.CUDAGraph()
    s = torch.cuda.Stream()
    with torch.cuda.stream(s):
        eager()
        with torch.cuda.graph(g):
            eager()
    torch.cuda.synchronize()
    t, _ = time_fn(g.replay, target_ms=10, trials=5)
    rows.append({"mode": "cuda graph", "sPerKernel": t / N})


@section("host_copy", "Host <-> device copies of 1 GiB from pinned host memory (offload path); GB/s = bytes/t")
def _(rows):
    n = 1 << 30
    h = torch.empty(n, dtype=torch.uint8, pin_memory=True)
    d = torch.empty(n, dtype=torch.uint8, device=dev)
    t, _ = time_fn(lambda: d.copy_(h, non_blocking=True), target_ms=50, trials=3)
    rows.append({"direction": "host->device", "bytes": n, "s": t, "gbps": n / t / 1e9})
    t, _ = time_fn(lambda: h.copy_(d, non_blocking=True), target_ms=50, trials=3)
    rows.append({"direction": "device->host", "bytes": n, "s": t, "gbps": n / t / 1e9})


@section("sustained", "8192^3 bf16 GEMMs back to back for 20 s; TFLOPS and nvidia-smi clock/power per ~2 s window "
         "(shows the rate a long training run holds once power and thermals settle)")
def _(rows):
    n = 8192
    a = torch.randn(n, n, device=dev, dtype=torch.bfloat16); b = torch.randn(n, n, device=dev, dtype=torch.bfloat16)
    s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    end = time.time() + 20
    while time.time() < end:
        s.record()
        for _ in range(1000):
            torch.matmul(a, b)
            if _ % 100 == 99:
                pass
        e.record(); torch.cuda.synchronize()
        t = s.elapsed_time(e) / 1e3 / 1000
        rows.append({"tflops": 2 * n ** 3 / t / 1e12, "smi": smi("clocks.sm,power.draw,temperature.gpu")})


result["device"]["smiAfter"] = smi("clocks.sm,clocks.mem,power.draw,power.limit,temperature.gpu")
save()

# Short table last (the reply carries the tail of the output).
S = result["sections"]
def show(name, key, fmt):
    for r in S.get(name, {}).get("rows", []):
        print(name, fmt(r))
show("gemm_bf16", "tflops", lambda r: f'{r["M"]}x{r["N"]}x{r["K"]} {r["what"]}: {r["tflops"]:.0f} TF')
show("gemm_fp8", "tflops", lambda r: f'{r["M"]}x{r["N"]}x{r["K"]} {r["what"]} {r["scaling"]}: {r["tflops"]:.0f} TF')
show("grouped_gemm", "", lambda r: f'{r["what"]}: grouped {r.get("groupedTflops", float("nan")):.0f} loop {r["loopTflops"]:.0f} TF {r.get("groupedError", "")[:60]}')
show("attention", "", lambda r: f'S{r["S"]} H{r["H"]}/{r["Hkv"]} {r["backend"]} {r["pass"]}: {r.get("tflops", float("nan")):.0f} TF {r.get("error", "")[:60]}')
show("decode_attention", "", lambda r: f'B{r["B"]} L{r["L"]}: {r.get("gbps", float("nan")):.0f} GB/s {r.get("error", "")[:60]}')
show("memory_bound", "", lambda r: f'{r["what"]}: {r["gbps"]:.0f} GB/s')
show("optimizer", "", lambda r: f'{r["params"]}: {r["nsPerParam"]:.3f} ns/param {r["gbps"]:.0f} GB/s')
show("launch", "", lambda r: f'{r["mode"]}: {r["sPerKernel"] * 1e6:.2f} us')
show("host_copy", "", lambda r: f'{r["direction"]}: {r["gbps"]:.1f} GB/s')
show("sustained", "", lambda r: f'{r["tflops"]:.0f} TF {r["smi"]}')
print("errors:", json.dumps(result["errors"])[:3000])
print(f"done in {time.time() - T0:.0f}s")
