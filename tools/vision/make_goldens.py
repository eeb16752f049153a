#!/usr/bin/env python3
"""Writes the reference values the C++ vision tests compare against (tests/data/vision/).

    python3 -m venv .venv-vision && .venv-vision/bin/pip install -r tools/vision/requirements.txt
    .venv-vision/bin/python tools/vision/make_goldens.py preprocess   # anyres geometry + pixel values
    .venv-vision/bin/python tools/vision/make_goldens.py encoder      # CLIP vision tower + projector
    .venv-vision/bin/python tools/vision/make_goldens.py vl-logits    # the whole LLaVA-NeXT model (after encoder)

Reference for preprocessing: transformers' LlavaNextImageProcessorPil (the Pillow path, what
LLaVA-NeXT-style checkpoints were trained with) configured as MiniMax-VL-01 (model-spec 1.9), its
select_best_resolution / get_anyres_image_grid_shape / image_size_to_num_patches, the model's
pack_image_features (token count as the model computes it) and the processor's
_get_number_of_features (token count as the prompt expands it). The two counts are asserted equal here.
"""

import argparse
import json
import math
import struct
import sys
import types
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_image import synthetic_image  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "vision"

MINIMAX_PINPOINTS = [
    [336, 336], [336, 672], [336, 1008], [336, 1344], [336, 1680], [336, 2016], [672, 336], [672, 672],
    [672, 1008], [672, 1344], [672, 1680], [672, 2016], [1008, 336], [1008, 672], [1008, 1008], [1008, 1344],
    [1008, 1680], [1008, 2016], [1344, 336], [1344, 672], [1344, 1008], [1344, 1344], [1680, 336], [1680, 672],
    [1680, 1008], [2016, 336], [2016, 672], [2016, 1008],
]
TILE = 336
PATCH = 14

# (height, width): tiny, square, very wide, very tall, photo-like and huge.
PIXEL_CASES = [
    (1, 1), (3, 5), (14, 14), (40, 30),
    (336, 336), (500, 500), (1000, 1000),
    (200, 1000), (100, 3000), (20, 4000),
    (1000, 200), (3000, 150),
    (1080, 1920), (768, 1024), (1200, 900), (337, 673),
    (4000, 6000),
]
SAMPLES_PER_TILE = 8


def fnv1a64(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for byte in data:
        h ^= byte
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def fnv1a64_np(array: np.ndarray) -> int:
    # Same as fnv1a64 over the bytes, vectorised in chunks is not possible (sequential), so use the
    # plain loop on the raw bytes; tiles are 1.35 MB, which takes a few seconds each.
    return fnv1a64(array.astype("<f4").tobytes())


def geometry_reference(height, width):
    from transformers.image_processing_utils import select_best_resolution
    from transformers.models.llava_next import modeling_llava_next as modeling
    from transformers.models.llava_next.processing_llava_next import LlavaNextProcessor
    import torch

    best = select_best_resolution([height, width], MINIMAX_PINPOINTS)
    grid = modeling.get_anyres_image_grid_shape([height, width], MINIMAX_PINPOINTS, TILE)
    tiles = modeling.image_size_to_num_patches([height, width], MINIMAX_PINPOINTS, TILE)

    # Token count as the prompt expands <image>: the processor's own arithmetic.
    processor = LlavaNextProcessor.__new__(LlavaNextProcessor)
    processor.patch_size = PATCH
    processor.num_additional_image_tokens = 1
    processor.vision_feature_select_strategy = "default"
    processor.image_processor = types.SimpleNamespace(image_grid_pinpoints=MINIMAX_PINPOINTS)
    prompt_tokens = processor._get_number_of_features(height, width, TILE, TILE) - 1

    # Token count as the model packs features: run pack_image_features on zero features.
    side = TILE // PATCH
    fake = types.SimpleNamespace(config=types.SimpleNamespace(
        vision_config=types.SimpleNamespace(image_size=TILE, patch_size=PATCH),
        image_grid_pinpoints=MINIMAX_PINPOINTS))
    features = [torch.zeros(tiles, side * side, 1)]
    packed, lens = modeling.LlavaNextModel.pack_image_features(
        fake, features, torch.tensor([[height, width]]), "default", image_newline=torch.zeros(1))
    model_tokens = int(lens[0])
    assert model_tokens == prompt_tokens, (height, width, model_tokens, prompt_tokens)
    return {"height": height, "width": width, "best_height": best[0], "best_width": best[1],
            "grid_rows": grid[0], "grid_cols": grid[1], "tile_count": tiles, "token_count": model_tokens}


def geometry_sizes():
    sizes = set()
    for h, w in PIXEL_CASES:
        sizes.add((h, w))
    for side in [1, 2, 13, 335, 336, 337, 671, 672, 673, 1007, 1008, 2015, 2016, 2017, 5000, 10000]:
        for other in [1, 100, 336, 1000, 3000]:
            sizes.add((side, other))
            sizes.add((other, side))
    rng = np.random.default_rng(20240611)
    for _ in range(300):
        h, w = np.exp(rng.uniform(0, math.log(12000), size=2)).astype(int) + 1
        sizes.add((int(h), int(w)))
    return sorted(sizes)


def make_preprocess(args):
    from PIL import Image
    from transformers.image_utils import OPENAI_CLIP_MEAN, OPENAI_CLIP_STD
    from transformers.models.llava_next.image_processing_pil_llava_next import LlavaNextImageProcessorPil

    geometry = [geometry_reference(h, w) for h, w in geometry_sizes()]

    processor = LlavaNextImageProcessorPil(
        size={"shortest_edge": TILE}, crop_size={"height": TILE, "width": TILE},
        image_grid_pinpoints=MINIMAX_PINPOINTS, image_mean=OPENAI_CLIP_MEAN, image_std=OPENAI_CLIP_STD,
        do_pad=True)
    pixel_cases = []
    rng = np.random.default_rng(7)
    for index, (height, width) in enumerate(PIXEL_CASES):
        seed = index + 1
        image = Image.fromarray(synthetic_image(height, width, seed), mode="RGB")
        values = processor(image, return_tensors="np")["pixel_values"][0]  # [tiles, 3, 336, 336] float32
        assert values.dtype == np.float32
        tiles = []
        for t in range(values.shape[0]):
            tile = values[t]
            picks = []
            for _ in range(SAMPLES_PER_TILE):
                c, y, x = int(rng.integers(3)), int(rng.integers(TILE)), int(rng.integers(TILE))
                picks.append([c, y, x, float(tile[c, y, x])])
            tiles.append({
                "fnv1a64": f"{fnv1a64_np(tile):016x}",
                "channel_sums": [float(tile[c].astype(np.float64).sum()) for c in range(3)],
                "samples": picks,
            })
        pixel_cases.append({"height": height, "width": width, "seed": seed, "tiles": tiles})
        print(f"pixels {height}x{width}: {values.shape[0]} tiles", flush=True)

    # Plain Pillow resizes (uint8 result hashed) over random sizes: both pass orders, up and down.
    resizes = []
    size_rng = np.random.default_rng(99)
    for index in range(80):
        h, w, out_h, out_w = (int(v) for v in size_rng.integers(1, 400, size=4))
        source = synthetic_image(h, w, 1000 + index)
        resized = np.array(Image.fromarray(source, mode="RGB").resize((out_w, out_h), Image.BICUBIC))
        resizes.append({"height": h, "width": w, "seed": 1000 + index, "out_height": out_h, "out_width": out_w,
                        "fnv1a64": f"{fnv1a64(resized.tobytes()):016x}"})

    import PIL
    import transformers
    out = {
        "generator": "tools/vision/make_goldens.py preprocess",
        "reference": f"transformers {transformers.__version__} LlavaNextImageProcessorPil, Pillow {PIL.__version__}",
        "tile_size": TILE, "patch_size": PATCH, "pinpoints": MINIMAX_PINPOINTS,
        "mean": list(OPENAI_CLIP_MEAN), "std": list(OPENAI_CLIP_STD),
        "geometry": geometry, "pixels": pixel_cases, "resizes": resizes,
    }
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / "anyres_preprocess.json"
    path.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes, {len(geometry)} geometry rows, {len(pixel_cases)} pixel cases)")


# ---------------------------------------------------------------------------------------------------
# Encoder goldens: tiny random CLIP vision towers and tiny LLaVA-NeXT / MiniMax-VL-01 layouts, written
# by transformers (save_pretrained) or with the original checkpoints' tensor names, plus the outputs
# transformers computes from them in fp32. Outputs go to encoder_goldens.f32 (little-endian float32),
# indexed by encoder_goldens.json; inputs are recomputed by the test (synthetic_pixels / synthetic_image).

class _Floats:
    """Appends float32 arrays to one binary blob and remembers where each starts."""

    def __init__(self):
        self.chunks = []
        self.count = 0

    def add(self, tensor):
        import torch
        values = tensor.detach().to("cpu", dtype=torch.float32).reshape(-1).numpy().astype("<f4")
        offset = self.count
        self.chunks.append(values.tobytes())
        self.count += values.size
        return {"offset": offset, "count": int(values.size)}


def synthetic_pixels(channels, height, width, seed):
    """Pixel values in [-2, 2] from the same hash as synthetic_image (tests/vision/synthetic_image.h)."""
    import torch
    from synthetic_image import _hash
    y, x = np.mgrid[0:height, 0:width].astype(np.uint64)
    planes = [((_hash(x, y, c, seed) & np.uint64(0xFFFF)).astype(np.float64) / 65535.0 * 4.0 - 2.0)
              for c in range(channels)]
    return torch.from_numpy(np.stack(planes).astype(np.float32))


def _perturb(model):
    # Random init leaves norms at 1/0 and biases at 0: perturb every tensor so that a wrongly wired
    # norm, bias or embedding changes the output.
    import torch
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(torch.randn_like(parameter) * 0.05)


def _rename_and_save(model_state, folder, rename):
    from safetensors.torch import save_file
    tensors = {rename(k): v.contiguous() for k, v in model_state.items()}
    tensors = {k: v for k, v in tensors.items() if k is not None}
    save_file(tensors, folder / "model.safetensors", metadata={"format": "pt"})


def _clip_case(blob, name, hidden_act, dtype, seed, extra_sizes, legacy_names):
    import torch
    from transformers import CLIPVisionConfig, CLIPVisionModel

    torch.manual_seed(seed)
    config = CLIPVisionConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=3, num_attention_heads=4,
                              image_size=56, patch_size=14, hidden_act=hidden_act, layer_norm_eps=1e-5)
    model = CLIPVisionModel(config).eval()
    _perturb(model)
    folder = DATA / name
    model.to(dtype).save_pretrained(folder, safe_serialization=True)
    model = CLIPVisionModel.from_pretrained(folder, dtype=torch.float32).eval()  # the saved (rounded) weights
    if legacy_names:
        # transformers <= 4 and OpenAI's CLIP checkpoints name the tower "vision_model.*"; 5 drops it.
        _rename_and_save(model.to(dtype).state_dict(), folder, lambda k: "vision_model." + k)
        model = model.float()

    cases = []
    for index, (height, width) in enumerate([(56, 56)] + extra_sizes):
        pixel_seed = seed * 100 + index
        pixels = synthetic_pixels(3, height, width, pixel_seed)[None]
        with torch.no_grad():
            out = model(pixel_values=pixels, output_hidden_states=True,
                        interpolate_pos_encoding=(height, width) != (56, 56))
        case = {"height": height, "width": width, "seed": pixel_seed,
                "hidden_states": [blob.add(h[0]) for h in out.hidden_states]}
        case["pooled_output"] = blob.add(out.pooler_output[0])
        cases.append(case)
    return {"folder": name, "hidden_act": hidden_act, "dtype": str(dtype).replace("torch.", ""), "cases": cases}


def _llava_case(blob, name, minimax_layout, feature_layer, seed, sizes):
    import torch
    from PIL import Image
    from transformers import CLIPVisionConfig, LlamaConfig, LlavaNextConfig, LlavaNextForConditionalGeneration
    from transformers.image_utils import OPENAI_CLIP_MEAN, OPENAI_CLIP_STD
    from transformers.models.llava_next.image_processing_pil_llava_next import LlavaNextImageProcessorPil

    tile = 42
    pinpoints = [[h // TILE * tile, w // TILE * tile] for h, w in MINIMAX_PINPOINTS]
    torch.manual_seed(seed)
    vision = CLIPVisionConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
                              image_size=tile, patch_size=14, hidden_act="gelu" if minimax_layout else "quick_gelu")
    text = LlamaConfig(vocab_size=64, hidden_size=48, intermediate_size=96, num_hidden_layers=1,
                       num_attention_heads=2, num_key_value_heads=2)
    config = LlavaNextConfig(vision_config=vision, text_config=text, image_grid_pinpoints=pinpoints,
                             vision_feature_layer=feature_layer, vision_feature_select_strategy="default",
                             image_token_index=63, projector_hidden_act="gelu")
    model = LlavaNextForConditionalGeneration(config).eval()
    _perturb(model)
    folder = DATA / name
    if minimax_layout:
        # MiniMax-VL-01's checkpoint layout (model-spec 1.9): vision_tower.vision_model.*,
        # multi_modal_projector.*, image_newline, and its config.json (model_type minimax_vl_01, which
        # leaves vision_feature_layer and the tower's hidden_act to the class defaults: -1 and gelu).
        folder.mkdir(parents=True, exist_ok=True)

        def rename(key):
            if key.startswith("vision_tower."):
                return "vision_tower.vision_model." + key[len("vision_tower."):]
            if key.startswith("multi_modal_projector.") or key == "image_newline":
                return key
            return None
        _rename_and_save(model.model.state_dict(), folder, rename)
        (folder / "config.json").write_text(json.dumps({
            "model_type": "minimax_vl_01",
            "vision_config": {"model_type": "clip_vision_model", "hidden_size": 32, "intermediate_size": 64,
                              "num_hidden_layers": 2, "num_attention_heads": 2, "image_size": tile,
                              "patch_size": 14},
            "image_grid_pinpoints": pinpoints,
            "projector_hidden_act": "gelu",
        }, indent=2) + "\n")
    else:
        model.save_pretrained(folder, safe_serialization=True)
        (folder / "generation_config.json").unlink(missing_ok=True)

    processor = LlavaNextImageProcessorPil(
        size={"shortest_edge": tile}, crop_size={"height": tile, "width": tile}, image_grid_pinpoints=pinpoints,
        image_mean=OPENAI_CLIP_MEAN, image_std=OPENAI_CLIP_STD, do_pad=True)
    cases = []
    for index, (height, width) in enumerate(sizes):
        image = Image.fromarray(synthetic_image(height, width, seed + index), mode="RGB")
        inputs = processor(image, return_tensors="pt")
        with torch.no_grad():
            out = model.model.get_image_features(
                pixel_values=inputs["pixel_values"], image_sizes=inputs["image_sizes"],
                vision_feature_layer=feature_layer, vision_feature_select_strategy="default")
        packed = out.pooler_output[0]
        cases.append({"height": height, "width": width, "seed": seed + index, "tokens": int(packed.shape[0]),
                      "embedding_size": int(packed.shape[1]), "embeddings": blob.add(packed)})
    return {"folder": name, "tile_size": tile, "vision_feature_layer": feature_layer, "cases": cases}


def make_encoder(args):
    import torch
    import transformers

    blob = _Floats()
    out = {
        "generator": "tools/vision/make_goldens.py encoder",
        "reference": f"transformers {transformers.__version__}, torch {torch.__version__}",
        "values": "encoder_goldens.f32",
        "clip": [
            _clip_case(blob, "clip_tiny_quick_gelu", "quick_gelu", torch.float32, 1, [(84, 70), (28, 42)], False),
            _clip_case(blob, "clip_tiny_gelu_bf16", "gelu", torch.bfloat16, 2, [], True),
        ],
        "llava": [
            _llava_case(blob, "llava_next_tiny", False, -2, 11, [(50, 80), (90, 30)]),
            _llava_case(blob, "minimax_vl_tiny", True, -1, 21, [(64, 64), (40, 130)]),
        ],
    }
    (DATA / "encoder_goldens.f32").write_bytes(b"".join(blob.chunks))
    path = DATA / "encoder_goldens.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path} and encoder_goldens.f32 ({blob.count} floats)")

def make_vl_logits(args):
    """All-position logits of the whole LLaVA-NeXT model (tower, projector, packing, Llama decoder) saved
    by `encoder` in llava_next_tiny, for prompts with one picture in the middle: text tokens, as many
    image tokens as the picture has feature rows, text tokens."""
    import torch
    import transformers
    from PIL import Image
    from transformers import LlavaNextForConditionalGeneration
    from transformers.image_utils import OPENAI_CLIP_MEAN, OPENAI_CLIP_STD
    from transformers.models.llava_next.image_processing_pil_llava_next import LlavaNextImageProcessorPil

    folder = DATA / "llava_next_tiny"
    model = LlavaNextForConditionalGeneration.from_pretrained(folder, torch_dtype=torch.float32).eval()
    cfg = model.config
    tile = cfg.vision_config.image_size
    processor = LlavaNextImageProcessorPil(
        size={"shortest_edge": tile}, crop_size={"height": tile, "width": tile},
        image_grid_pinpoints=cfg.image_grid_pinpoints, image_mean=OPENAI_CLIP_MEAN, image_std=OPENAI_CLIP_STD,
        do_pad=True)
    cases = []
    for height, width, seed, before, after in [(50, 80, 31, [1, 5, 7], [9, 11, 13, 2]),
                                               (90, 30, 32, [1, 17], [19, 23, 29, 31, 37])]:
        image = Image.fromarray(synthetic_image(height, width, seed), mode="RGB")
        inputs = processor(image, return_tensors="pt")
        with torch.no_grad():
            features = model.model.get_image_features(
                pixel_values=inputs["pixel_values"], image_sizes=inputs["image_sizes"],
                vision_feature_layer=cfg.vision_feature_layer,
                vision_feature_select_strategy=cfg.vision_feature_select_strategy).pooler_output[0]
            count = int(features.shape[0])
            ids = torch.tensor([before + [cfg.image_token_index] * count + after])
            logits = model(input_ids=ids, pixel_values=inputs["pixel_values"], image_sizes=inputs["image_sizes"]).logits[0]
        cases.append({"height": height, "width": width, "seed": seed, "before": before, "after": after,
                      "image_tokens": count, "logits": [[float(v) for v in row] for row in logits]})
    out = {"generator": "tools/vision/make_goldens.py vl-logits",
           "reference": f"transformers {transformers.__version__} LlavaNextForConditionalGeneration, torch {torch.__version__}",
           "folder": "llava_next_tiny", "image_token_index": cfg.image_token_index, "cases": cases}
    path = DATA / "vl_logits_goldens.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}: " + ", ".join(f"{c['height']}x{c['width']} -> {c['image_tokens']} image tokens" for c in cases))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["preprocess", "encoder", "vl-logits"])
    args = parser.parse_args()
    if args.what == "preprocess":
        make_preprocess(args)
    elif args.what == "encoder":
        make_encoder(args)
    else:
        make_vl_logits(args)


if __name__ == "__main__":
    main()
