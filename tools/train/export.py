"""Writes and reads the shipped model folder in MiniMax-VL-01's layout.

  model.safetensors         bf16, the tensor names of MiniMax-VL-01's checkpoint: vision_tower.vision_model.*,
                            multi_modal_projector.linear_{1,2}.*, image_newline, language_model.model.*
                            (remote-code MiniMax-Text-01 names: block_sparse_moe.experts.{e}.w1/w3/w2, ...),
                            language_model.lm_head.weight
  config.json               model_type minimax_vl_01 with text_config (minimax_text_01 keys: attn_type_list,
                            layernorm_*_alpha/beta, rotary_dim, ...) and vision_config (clip_vision_model)
  preprocessor_config.json  anyres image processing (tile size, pinpoints, CLIP mean/std, bicubic)
  generation_config.json    eos = <end_of_sentence>
  vocab.json merges.txt tokenizer.json tokenizer_config.json
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

import anyres
import chat_format
import minimax_model as mm

TOKENIZER_FILES = ["vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json"]


def write_model(model: mm.MiniMaxVL, tokenizer_dir: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    cfg = model.config
    state = {k: v.detach().to(torch.bfloat16).contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(out / "model.safetensors"), metadata={"format": "pt"})
    (out / "model.safetensors").chmod(0o644)  # safetensors creates it owner-only
    (out / "config.json").write_text(json.dumps(cfg.to_json_dict(), indent=2) + "\n")
    tile = cfg.vision.image_size
    pre = {
        "image_processor_type": "LlavaNextImageProcessor",
        "processor_class": "LlavaNextProcessor",
        "process_image_mode": "anyres",
        "do_convert_rgb": True,
        "do_resize": True,
        "size": {"height": tile, "width": tile},
        "resample": 3,
        "do_center_crop": False,
        "do_rescale": True,
        "rescale_factor": 1 / 255,
        "do_normalize": True,
        "image_mean": list(anyres.CLIP_MEAN),
        "image_std": list(anyres.CLIP_STD),
        "do_pad": False,
        "image_grid_pinpoints": cfg.image_grid_pinpoints,
        "patch_size": cfg.vision.patch_size,
    }
    (out / "preprocessor_config.json").write_text(json.dumps(pre, indent=2) + "\n")
    vocab = json.loads((tokenizer_dir / "vocab.json").read_text())
    gen = {"eos_token_id": vocab[chat_format.EOS], "bos_token_id": vocab[chat_format.BOS], "do_sample": True,
           "temperature": 1.0, "top_p": 0.95}
    (out / "generation_config.json").write_text(json.dumps(gen, indent=2) + "\n")
    for name in TOKENIZER_FILES:
        shutil.copyfile(tokenizer_dir / name, out / name)


def load_model(folder: str | Path) -> mm.MiniMaxVL:
    """Reads an exported folder back into our model (fp32), checking every tensor name and shape."""
    folder = Path(folder)
    cfg = mm.VLConfig.from_json_dict(json.loads((folder / "config.json").read_text()))
    model = mm.MiniMaxVL(cfg)
    state = load_file(str(folder / "model.safetensors"))
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    if missing or unexpected:
        raise ValueError(f"{folder}/model.safetensors: missing {missing[:5]}, unexpected {unexpected[:5]}")
    for name, tensor in state.items():
        if tuple(tensor.shape) != tuple(expected[name].shape):
            raise ValueError(f"{name}: shape {tuple(tensor.shape)}, expected {tuple(expected[name].shape)}")
    model.load_state_dict({k: v.float() for k, v in state.items()})
    return model.eval()
