"""Greedy generation with our model: one prefill (lightning block algorithm + softmax KV cache), then
token-by-token decode through the recurrence, as an inference engine does it."""
from __future__ import annotations

import torch

import minimax_model as mm


@torch.no_grad()
def generate(model: mm.MiniMaxVL, ids: list[int], images: list, max_new_tokens: int, stop_id: int) -> list[int]:
    lm = model.language_model
    prompt = torch.tensor([ids], dtype=torch.long)
    cache = lm.new_cache()
    logits = lm(inputs_embeds=model.embed(prompt, images), cache=cache)[:, -1]
    out: list[int] = []
    for _ in range(max_new_tokens):
        nxt = int(logits.argmax(-1))
        if nxt == stop_id:
            break
        out.append(nxt)
        logits = lm(torch.tensor([[nxt]]), cache=cache)[:, -1]
    return out
