// Plain softmax decoders configured from config.json — Llama (model_type "llama", "mistral") and
// Qwen2 ("qwen2": biases on q, k, v): prenorm RMSNorm, rotary embedding, grouped-query attention,
// SwiGLU MLP, built from the same layers as MiniMax's softmax layers (model-spec §5).
#pragma once

#include "engine/models/model.h"

#include <memory>

namespace linea {

struct ModelFiles;

bool llama_recognises(const ModelFiles& files);
std::shared_ptr<const Model> load_llama(const ModelFiles& files);

}  // namespace linea
