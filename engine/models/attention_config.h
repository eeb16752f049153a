// The attention keys every decoder's config.json shares (Llama, Qwen2, MiniMax): head counts and
// sizes, and the rotary embedding, read once with errors that name the key.
#pragma once

#include "engine/models/config_reader.h"

#include <cstdint>
#include <optional>

namespace linea {

struct AttentionHeads {
  std::int64_t hidden = 0;    // hidden_size
  std::int64_t heads = 0;     // num_attention_heads
  std::int64_t kv_heads = 0;  // num_key_value_heads (default: heads), dividing heads
  std::int64_t head_dim = 0;  // head_dim (default: hidden / heads)
};
AttentionHeads read_attention_heads(const ConfigReader& cfg);

// theta from rope_parameters.rope_theta or rope_theta, the partial factor from
// rope_parameters.partial_rotary_factor or partial_rotary_factor (either may be absent). Refuses
// rope types other than "default" and any rope_scaling: Linea runs the plain rotary embedding.
struct RotaryConfig {
  std::optional<double> theta;
  std::optional<double> partial_factor;
};
RotaryConfig read_rotary(const ConfigReader& cfg);

}  // namespace linea
