"""Our own PyTorch definition of the MiniMax lightning hybrid (MiniMax-Text-01 / M1) and the
MiniMax-VL-01 vision head (CLIP ViT + 2-layer MLP projector + image_newline), written from
shared/docs/model-spec.md §1.

Parameter names are those of the checkpoints MiniMax ships (the remote-code layout of §1.2:
`block_sparse_moe.experts.{e}.w1/w3/w2`, `self_attn.qkv_proj` interleaved per head, ...), so a
`state_dict()` of `MiniMaxVL` is already the MiniMax-VL-01 tensor layout and export is a rename-free
dump. Nothing here imports transformers; `check_against_transformers.py` compares the logits.

Shapes in comments: b batch, n tokens, h heads, d head_dim, c hidden size.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from anyres import unpadded_feature_size

LIGHTNING = 0  # values of attn_type_list, as in the M1 config
SOFTMAX = 1


@dataclass
class TextConfig:
    """The text decoder; field names are the MiniMax-Text-01 / M1 config.json keys."""

    vocab_size: int = 4096
    hidden_size: int = 256
    num_hidden_layers: int = 8
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    head_dim: int = 64
    intermediate_size: int = 256
    num_local_experts: int = 4
    num_experts_per_tok: int = 2
    hidden_act: str = "silu"
    rms_norm_eps: float = 1e-5
    rope_theta: float = 10_000_000.0
    rotary_dim: int = 32
    max_position_embeddings: int = 1 << 20
    attn_type_list: list[int] = field(default_factory=list)
    postnorm: bool = True
    layernorm_full_attention_alpha: float = 1.0
    layernorm_full_attention_beta: float = 1.0
    layernorm_linear_attention_alpha: float = 1.0
    layernorm_linear_attention_beta: float = 1.0
    layernorm_mlp_alpha: float = 1.0
    layernorm_mlp_beta: float = 1.0
    tie_word_embeddings: bool = False
    # Not config.json keys in M1 (module constants there); kept here so nothing is hard-coded.
    block_size: int = 256
    lightning_norm_eps: float = 1e-6

    def __post_init__(self) -> None:
        if not self.attn_type_list:
            # MiniMax's pattern: a softmax layer after every 7 lightning layers (indices 7, 15, ...).
            self.attn_type_list = [SOFTMAX if (i + 1) % 8 == 0 else LIGHTNING for i in range(self.num_hidden_layers)]
        if len(self.attn_type_list) != self.num_hidden_layers:
            raise ValueError(f"attn_type_list has {len(self.attn_type_list)} entries, expected {self.num_hidden_layers}")
        if self.hidden_act != "silu":
            raise ValueError(f"hidden_act {self.hidden_act!r}: MiniMax uses silu")
        if self.rotary_dim % 2 or self.rotary_dim > self.head_dim:
            raise ValueError(f"rotary_dim {self.rotary_dim} must be even and at most head_dim {self.head_dim}")
        if self.num_attention_heads % self.num_key_value_heads:
            raise ValueError("num_attention_heads must be a multiple of num_key_value_heads")

    @staticmethod
    def deepnorm_alpha(num_layers: int) -> float:
        """MiniMax's residual weight: (2·L)^(1/4) (3.5565588 for L=80, M1 config)."""
        return (2.0 * num_layers) ** 0.25

    def to_json_dict(self) -> dict:
        """The keys a MiniMax-Text-01 text_config carries (config.json), plus model_type."""
        d = asdict(self)
        d.pop("block_size")
        d.pop("lightning_norm_eps")
        d.update(
            {
                "model_type": "minimax_text_01",
                "architectures": ["MiniMaxText01ForCausalLM"],
                "shared_intermediate_size": 0,
                "shared_moe_mode": "sigmoid",
                "bos_token_id": None,
                "eos_token_id": None,
                "sliding_window": None,
                "attention_dropout": 0.0,
                "router_aux_loss_coef": 0.001,
                "router_jitter_noise": 0.0,
                "output_router_logits": False,
                "initializer_range": 0.02,
                "use_cache": True,
            }
        )
        return d

    @classmethod
    def from_json_dict(cls, d: dict) -> "TextConfig":
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class VisionConfig:
    """CLIP vision tower; field names are transformers' CLIPVisionConfig keys (MiniMax-VL-01 ships one)."""

    hidden_size: int = 192
    intermediate_size: int = 768
    num_hidden_layers: int = 4
    num_attention_heads: int = 3
    num_channels: int = 3
    image_size: int = 112
    patch_size: int = 14
    hidden_act: str = "gelu"
    layer_norm_eps: float = 1e-5
    projection_dim: int = 256

    def __post_init__(self) -> None:
        if self.image_size % self.patch_size:
            raise ValueError("image_size must be a multiple of patch_size")
        if self.hidden_act != "gelu":
            raise ValueError(f"hidden_act {self.hidden_act!r}: only exact gelu is implemented")

    @property
    def patches_per_side(self) -> int:
        return self.image_size // self.patch_size

    def to_json_dict(self) -> dict:
        d = asdict(self)
        d.update({"model_type": "clip_vision_model", "attention_dropout": 0.0, "initializer_range": 0.02,
                  "initializer_factor": 1.0})
        return d

    @classmethod
    def from_json_dict(cls, d: dict) -> "VisionConfig":
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class VLConfig:
    """MiniMax-VL-01 top level (LLaVA-NeXT style keys)."""

    text: TextConfig
    vision: VisionConfig
    image_token_index: int
    image_grid_pinpoints: list[list[int]]
    vision_feature_layer: int = -1
    vision_feature_select_strategy: str = "default"
    projector_hidden_act: str = "gelu"

    def to_json_dict(self) -> dict:
        return {
            "architectures": ["MiniMaxVL01ForConditionalGeneration"],
            "model_type": "minimax_vl_01",
            "image_token_index": self.image_token_index,
            "image_grid_pinpoints": self.image_grid_pinpoints,
            "image_seq_length": self.vision.patches_per_side**2,
            "vision_feature_layer": self.vision_feature_layer,
            "vision_feature_select_strategy": self.vision_feature_select_strategy,
            "projector_hidden_act": self.projector_hidden_act,
            "ignore_index": -100,
            "tie_word_embeddings": False,
            "torch_dtype": "bfloat16",
            "text_config": self.text.to_json_dict(),
            "vision_config": self.vision.to_json_dict(),
        }

    @classmethod
    def from_json_dict(cls, d: dict) -> "VLConfig":
        if d.get("model_type") != "minimax_vl_01":
            raise ValueError(f"model_type {d.get('model_type')!r}, expected 'minimax_vl_01'")
        return cls(
            text=TextConfig.from_json_dict(d["text_config"]),
            vision=VisionConfig.from_json_dict(d["vision_config"]),
            image_token_index=d["image_token_index"],
            image_grid_pinpoints=d["image_grid_pinpoints"],
            vision_feature_layer=d["vision_feature_layer"],
            vision_feature_select_strategy=d["vision_feature_select_strategy"],
            projector_hidden_act=d["projector_hidden_act"],
        )


# ----------------------------------------------------------------------------------------------
# Text decoder


class RMSNorm(nn.Module):
    """y = w ⊙ (x·rsqrt(mean(x²)+eps)); normalised in fp32, cast back, then weighted (§1.3)."""

    def __init__(self, size: int, eps: float) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        xf = x.float()
        y = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * y.to(x.dtype)


def alibi_slopes(num_heads: int) -> torch.Tensor:
    """Per-head base decay rates s_h (§1.4.2), the ALiBi power-of-two rule."""

    def power_of_two(n: int) -> list[float]:
        start = 2.0 ** (-(2.0 ** -(math.log2(n) - 3)))
        return [start ** (i + 1) for i in range(n)]

    if math.log2(num_heads).is_integer():
        slopes = power_of_two(num_heads)
    else:
        closest = 2 ** math.floor(math.log2(num_heads))
        slopes = power_of_two(closest) + power_of_two(2 * closest)[0::2][: num_heads - closest]
    return torch.tensor(slopes, dtype=torch.float32)


def lightning_slopes(num_heads: int, layer_idx: int, num_layers: int) -> torch.Tensor:
    """s_{l,h} = s_h · (1 − l/(L−1) + 1e-5): the original M1 / vLLM layer factor (§1.4.2, §8.3)."""
    factor = 1.0 - layer_idx / (num_layers - 1) + 1e-5 if num_layers > 1 else 1.0 + 1e-5
    return alibi_slopes(num_heads) * factor


def lightning_attention_blocks(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, slopes: torch.Tensor,
                               block_size: int, state: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Prefill block algorithm of §1.4.4. q,k,v [b,h,n,d]; slopes [h]; state [b,h,d,d] (key × value).

    Returns (o [b,h,n,d], final state). Only non-positive numbers are exponentiated.
    """
    b, h, n, d = q.shape
    acc = torch.promote_types(q.dtype, torch.float32)  # the state is never narrower than fp32
    s = slopes.to(acc).view(1, h, 1, 1)
    kv = torch.zeros(b, h, d, d, dtype=acc, device=q.device) if state is None else state.to(acc)
    outs = []
    for start in range(0, n, block_size):
        m = min(block_size, n - start)
        qb, kb, vb = q[:, :, start:start + m], k[:, :, start:start + m], v[:, :, start:start + m]
        pos = torch.arange(m, device=q.device, dtype=acc).view(1, 1, m, 1)
        q_decay = torch.exp(-s * (pos + 1))  # λ^(i+1)
        k_decay = torch.exp(-s * (m - 1 - pos))  # λ^(m-1-i): the last m entries of k_dec
        diff = pos - pos.transpose(-1, -2)  # i - j
        diag = torch.exp(torch.where(diff >= 0, -s * diff, torch.full_like(diff, -math.inf)))
        o_inter = (qb * q_decay) @ kv.to(qb.dtype)
        o_intra = ((qb @ kb.transpose(-1, -2)) * diag) @ vb
        outs.append(o_inter + o_intra)
        kv = torch.exp(-s * m) * kv + ((kb * k_decay).transpose(-1, -2) @ vb).to(acc)
    return torch.cat(outs, dim=2), kv


def lightning_attention_recurrent(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, slopes: torch.Tensor,
                                  state: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """The definition (§1.4.3), token by token: S = λS + kᵀv; o = qS. Used for decode."""
    b, h, n, d = q.shape
    acc = torch.promote_types(q.dtype, torch.float32)
    decay = torch.exp(-slopes.to(acc)).view(1, h, 1, 1)
    kv = torch.zeros(b, h, d, d, dtype=acc, device=q.device) if state is None else state.to(acc)
    outs = []
    for t in range(n):
        kv = decay * kv + (k[:, :, t].unsqueeze(-1) @ v[:, :, t].unsqueeze(-2)).to(acc)
        outs.append(q[:, :, t].unsqueeze(-2).to(acc) @ kv)
    return torch.cat(outs, dim=2), kv


class LightningAttention(nn.Module):
    def __init__(self, cfg: TextConfig, layer_idx: int) -> None:
        super().__init__()
        self.h, self.d = cfg.num_attention_heads, cfg.head_dim
        inner = self.h * self.d
        self.block_size = cfg.block_size
        self.qkv_proj = nn.Linear(cfg.hidden_size, 3 * inner, bias=False)  # per-head [q|k|v] rows (§1.4.1)
        self.output_gate = nn.Linear(cfg.hidden_size, inner, bias=False)
        self.norm = RMSNorm(inner, cfg.lightning_norm_eps)  # one norm over all h·d channels
        self.out_proj = nn.Linear(inner, cfg.hidden_size, bias=False)
        self.register_buffer("slopes", lightning_slopes(self.h, layer_idx, cfg.num_hidden_layers), persistent=False)

    def forward(self, x: torch.Tensor, cache: "LayerCache | None" = None) -> torch.Tensor:
        b, n, _ = x.shape
        qkv = F.silu(self.qkv_proj(x)).view(b, n, self.h, 3 * self.d).transpose(1, 2)  # [b,h,n,3d]
        q, k, v = qkv.split(self.d, dim=-1)
        state = cache.state if cache is not None else None
        if state is None:
            o, state = lightning_attention_blocks(q, k, v, self.slopes, self.block_size)
        else:
            o, state = lightning_attention_recurrent(q, k, v, self.slopes, state)
        if cache is not None:
            cache.state = state
        o = o.to(x.dtype).transpose(1, 2).reshape(b, n, self.h * self.d)  # head-major concat
        o = torch.sigmoid(self.output_gate(x)) * self.norm(o)
        return self.out_proj(o)


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    a, b = x.chunk(2, dim=-1)
    return torch.cat((-b, a), dim=-1)


class SoftmaxAttention(nn.Module):
    """GQA softmax attention with NeoX RoPE on the first rotary_dim dims of each head (§1.5)."""

    def __init__(self, cfg: TextConfig) -> None:
        super().__init__()
        self.h, self.kvh, self.d = cfg.num_attention_heads, cfg.num_key_value_heads, cfg.head_dim
        self.rotary_dim = cfg.rotary_dim
        self.q_proj = nn.Linear(cfg.hidden_size, self.h * self.d, bias=False)
        self.k_proj = nn.Linear(cfg.hidden_size, self.kvh * self.d, bias=False)
        self.v_proj = nn.Linear(cfg.hidden_size, self.kvh * self.d, bias=False)
        self.o_proj = nn.Linear(self.h * self.d, cfg.hidden_size, bias=False)
        inv_freq = 1.0 / (cfg.rope_theta ** (torch.arange(0, self.rotary_dim, 2, dtype=torch.float32) / self.rotary_dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def rope(self, x: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
        angle = positions.float()[:, None] * self.inv_freq[None, :]  # [n, r/2]
        emb = torch.cat((angle, angle), dim=-1)
        cos, sin = emb.cos().to(x.dtype), emb.sin().to(x.dtype)
        xr, xp = x[..., : self.rotary_dim], x[..., self.rotary_dim:]
        return torch.cat((xr * cos + rotate_half(xr) * sin, xp), dim=-1)

    def forward(self, x: torch.Tensor, cache: "LayerCache | None" = None) -> torch.Tensor:
        b, n, _ = x.shape
        past = cache.k.shape[2] if cache is not None and cache.k is not None else 0
        positions = torch.arange(past, past + n, device=x.device)
        q = self.rope(self.q_proj(x).view(b, n, self.h, self.d).transpose(1, 2), positions)
        k = self.rope(self.k_proj(x).view(b, n, self.kvh, self.d).transpose(1, 2), positions)
        v = self.v_proj(x).view(b, n, self.kvh, self.d).transpose(1, 2)
        if cache is not None:
            if cache.k is not None:
                k, v = torch.cat((cache.k, k), dim=2), torch.cat((cache.v, v), dim=2)
            cache.k, cache.v = k, v
        rep = self.h // self.kvh  # kv head of q head j is j // rep
        k, v = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)
        if past == 0:
            o = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            total = past + n
            allowed = torch.arange(total, device=x.device)[None, :] <= (torch.arange(n, device=x.device)[:, None] + past)
            o = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        return self.o_proj(o.transpose(1, 2).reshape(b, n, self.h * self.d))


class Expert(nn.Module):
    def __init__(self, hidden: int, inner: int) -> None:
        super().__init__()
        self.w1 = nn.Linear(hidden, inner, bias=False)  # gate
        self.w3 = nn.Linear(hidden, inner, bias=False)  # up
        self.w2 = nn.Linear(inner, hidden, bias=False)  # down

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class SparseMoE(nn.Module):
    """Mixtral-style top-k MoE (§1.6): softmax over experts in fp32, top-k, renormalise."""

    def __init__(self, cfg: TextConfig) -> None:
        super().__init__()
        self.top_k = cfg.num_experts_per_tok
        self.gate = nn.Linear(cfg.hidden_size, cfg.num_local_experts, bias=False)
        self.experts = nn.ModuleList(Expert(cfg.hidden_size, cfg.intermediate_size) for _ in range(cfg.num_local_experts))
        self.last_router_logits: torch.Tensor | None = None  # for the load-balancing loss in training

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = x.shape
        flat = x.reshape(-1, shape[-1])
        logits = self.gate(flat)
        self.last_router_logits = logits
        probs = torch.softmax(logits.float(), dim=-1)
        weights, chosen = torch.topk(probs, self.top_k, dim=-1)
        weights = (weights / weights.sum(-1, keepdim=True)).to(x.dtype)
        out = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            token, slot = torch.where(chosen == e)
            if token.numel() == 0:
                continue
            out.index_add_(0, token, expert(flat[token]) * weights[token, slot, None])
        return out.view(shape)


class DecoderLayer(nn.Module):
    def __init__(self, cfg: TextConfig, layer_idx: int) -> None:
        super().__init__()
        self.is_lightning = cfg.attn_type_list[layer_idx] == LIGHTNING
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.self_attn = LightningAttention(cfg, layer_idx) if self.is_lightning else SoftmaxAttention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.block_sparse_moe = SparseMoE(cfg)
        if self.is_lightning:
            self.attn_alpha, self.attn_beta = cfg.layernorm_linear_attention_alpha, cfg.layernorm_linear_attention_beta
        else:
            self.attn_alpha, self.attn_beta = cfg.layernorm_full_attention_alpha, cfg.layernorm_full_attention_beta
        self.mlp_alpha, self.mlp_beta = cfg.layernorm_mlp_alpha, cfg.layernorm_mlp_beta
        self.postnorm = cfg.postnorm

    def forward(self, x: torch.Tensor, cache: "LayerCache | None" = None) -> torch.Tensor:
        h = self.input_layernorm(x)
        residual = h if self.postnorm else x  # postnorm: the residual is the NORMED input (§1.3)
        x = self.attn_alpha * residual + self.attn_beta * self.self_attn(h, cache)
        g = self.post_attention_layernorm(x)
        residual = g if self.postnorm else x
        return self.mlp_alpha * residual + self.mlp_beta * self.block_sparse_moe(g)


class LayerCache:
    """Per-layer memory of one batch: the lightning state [b,h,d,d] (fp32) or the softmax K/V."""

    def __init__(self) -> None:
        self.state: torch.Tensor | None = None
        self.k: torch.Tensor | None = None
        self.v: torch.Tensor | None = None


class TextBackbone(nn.Module):
    """`model.*` of the checkpoint: embeddings, layers, final norm."""

    def __init__(self, cfg: TextConfig) -> None:
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList(DecoderLayer(cfg, i) for i in range(cfg.num_hidden_layers))
        self.norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)


class MiniMaxForCausalLM(nn.Module):
    """The text model: `model.*` + `lm_head.weight`."""

    def __init__(self, cfg: TextConfig) -> None:
        super().__init__()
        self.config = cfg
        self.model = TextBackbone(cfg)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)

    def new_cache(self) -> list[LayerCache]:
        return [LayerCache() for _ in self.model.layers]

    def forward(self, input_ids: torch.Tensor | None = None, inputs_embeds: torch.Tensor | None = None,
                cache: list[LayerCache] | None = None, hidden_only: bool = False) -> torch.Tensor:
        x = self.model.embed_tokens(input_ids) if inputs_embeds is None else inputs_embeds  # no embedding scale
        for i, layer in enumerate(self.model.layers):
            x = layer(x, cache[i] if cache is not None else None)
        x = self.model.norm(x)
        return x if hidden_only else self.lm_head(x).float()

    def router_logits(self) -> list[torch.Tensor]:
        return [layer.block_sparse_moe.last_router_logits for layer in self.model.layers]


# ----------------------------------------------------------------------------------------------
# Vision: CLIP ViT (transformers' CLIPVisionModel names, no post_layernorm) + projector


class ClipEmbeddings(nn.Module):
    def __init__(self, cfg: VisionConfig) -> None:
        super().__init__()
        self.class_embedding = nn.Parameter(torch.randn(cfg.hidden_size) * 0.02)
        self.patch_embedding = nn.Conv2d(cfg.num_channels, cfg.hidden_size, cfg.patch_size, cfg.patch_size, bias=False)
        self.position_embedding = nn.Embedding(cfg.patches_per_side**2 + 1, cfg.hidden_size)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        patches = self.patch_embedding(pixels).flatten(2).transpose(1, 2)  # [t, p, c], row-major patches
        cls = self.class_embedding.expand(patches.shape[0], 1, -1)
        return torch.cat((cls, patches), dim=1) + self.position_embedding.weight[None]


class ClipAttention(nn.Module):
    def __init__(self, cfg: VisionConfig) -> None:
        super().__init__()
        self.h = cfg.num_attention_heads
        self.d = cfg.hidden_size // self.h
        self.q_proj = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.k_proj = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.v_proj = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.out_proj = nn.Linear(cfg.hidden_size, cfg.hidden_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        t, n, c = x.shape
        q, k, v = (p(x).view(t, n, self.h, self.d).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
        o = F.scaled_dot_product_attention(q, k, v)  # full (non-causal), scale d^-0.5
        return self.out_proj(o.transpose(1, 2).reshape(t, n, c))


class ClipMLP(nn.Module):
    def __init__(self, cfg: VisionConfig) -> None:
        super().__init__()
        self.fc1 = nn.Linear(cfg.hidden_size, cfg.intermediate_size)
        self.fc2 = nn.Linear(cfg.intermediate_size, cfg.hidden_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(F.gelu(self.fc1(x)))


class ClipLayer(nn.Module):
    def __init__(self, cfg: VisionConfig) -> None:
        super().__init__()
        self.layer_norm1 = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.self_attn = ClipAttention(cfg)
        self.layer_norm2 = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.mlp = ClipMLP(cfg)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.self_attn(self.layer_norm1(x))
        return x + self.mlp(self.layer_norm2(x))


class ClipEncoder(nn.Module):
    def __init__(self, cfg: VisionConfig) -> None:
        super().__init__()
        self.layers = nn.ModuleList(ClipLayer(cfg) for _ in range(cfg.num_hidden_layers))


class ClipVisionModel(nn.Module):
    """`vision_tower.vision_model.*` (the spelling `pre_layrnorm` is CLIP's own)."""

    def __init__(self, cfg: VisionConfig) -> None:
        super().__init__()
        self.embeddings = ClipEmbeddings(cfg)
        self.pre_layrnorm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.encoder = ClipEncoder(cfg)

    def hidden_states(self, pixels: torch.Tensor) -> list[torch.Tensor]:
        """[embeddings after pre_layrnorm, output of layer 0, ..., output of the last layer]."""
        x = self.pre_layrnorm(self.embeddings(pixels))
        states = [x]
        for layer in self.encoder.layers:
            x = layer(x)
            states.append(x)
        return states


class VisionTower(nn.Module):
    def __init__(self, cfg: VisionConfig) -> None:
        super().__init__()
        self.vision_model = ClipVisionModel(cfg)


class Projector(nn.Module):
    """`multi_modal_projector`: linear_1 → GELU → linear_2, both with bias (§1.9)."""

    def __init__(self, vision_hidden: int, text_hidden: int) -> None:
        super().__init__()
        self.linear_1 = nn.Linear(vision_hidden, text_hidden)
        self.linear_2 = nn.Linear(text_hidden, text_hidden)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear_2(F.gelu(self.linear_1(x)))


class MiniMaxVL(nn.Module):
    """MiniMax-VL-01: `vision_tower.*`, `multi_modal_projector.*`, `image_newline`, `language_model.*`."""

    def __init__(self, cfg: VLConfig) -> None:
        super().__init__()
        self.config = cfg
        self.vision_tower = VisionTower(cfg.vision)
        self.multi_modal_projector = Projector(cfg.vision.hidden_size, cfg.text.hidden_size)
        self.image_newline = nn.Parameter(torch.randn(cfg.text.hidden_size) * cfg.text.hidden_size**-0.5)
        self.language_model = MiniMaxForCausalLM(cfg.text)

    def tile_features(self, tiles: torch.Tensor) -> torch.Tensor:
        """tiles [t,3,S,S] normalised pixels → projected patch features [t, p, c_text] (CLS dropped)."""
        states = self.vision_tower.vision_model.hidden_states(tiles)
        feats = states[self.config.vision_feature_layer]
        if self.config.vision_feature_select_strategy == "default":
            feats = feats[:, 1:]
        return self.multi_modal_projector(feats)

    def pack_image(self, feats: torch.Tensor, grid_hw: tuple[int, int], original_hw: tuple[int, int]) -> torch.Tensor:
        """LLaVA-NeXT packing (§1.9): base tile as is, then the unpadded grid with a newline per row."""
        side = self.config.vision.patches_per_side
        base, grid = feats[0], feats[1:]
        gh, gw = grid_hw
        c = feats.shape[-1]
        fmap = grid.view(gh, gw, side, side, c).permute(0, 2, 1, 3, 4).reshape(gh * side, gw * side, c)
        rows, cols, top, left = unpadded_feature_size(gh * side, gw * side, original_hw)
        fmap = fmap[top:top + rows, left:left + cols]
        newline = self.image_newline.to(fmap.dtype).expand(rows, 1, c)
        return torch.cat((base, torch.cat((fmap, newline), dim=1).reshape(-1, c)), dim=0)

    def embed(self, input_ids: torch.Tensor, images: list[tuple[torch.Tensor, tuple[int, int], tuple[int, int]]]) -> torch.Tensor:
        """Token embeddings with the `<image>` placeholder rows replaced by packed image features, in order.

        images: (tiles, grid_hw, original_hw) per image, in the order their placeholders appear
        (row-major over the batch).
        """
        emb = self.language_model.model.embed_tokens(input_ids)
        if not images:
            return emb
        all_tiles = torch.cat([t for t, _, _ in images], dim=0)
        feats = self.tile_features(all_tiles)
        packed, at = [], 0
        for tiles, grid_hw, original_hw in images:
            packed.append(self.pack_image(feats[at:at + tiles.shape[0]], grid_hw, original_hw))
            at += tiles.shape[0]
        packed = torch.cat(packed, dim=0).to(emb.dtype)
        mask = input_ids == self.config.image_token_index
        if int(mask.sum()) != packed.shape[0]:
            raise ValueError(f"{int(mask.sum())} <image> placeholders but {packed.shape[0]} image feature rows")
        emb = emb.clone()
        emb[mask] = packed
        return emb
