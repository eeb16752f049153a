// MiniMax-Text-01 / MiniMax-M1 (and the text model inside MiniMax-VL-01): the lightning-attention
// hybrid of model-spec §1, loaded from either published safetensors layout:
//   * MiniMax's remote code: config keys attn_type_list, layernorm_*_alpha/beta, rotary_dim,
//     postnorm; experts block_sparse_moe.experts.{e}.w1/w3/w2 (gate / up / down);
//   * transformers' native `minimax`: layer_types, {full_attn,linear_attn,mlp}_{alpha,beta}_factor,
//     rope_parameters (partial_rotary_factor); experts either per expert (as transformers saves
//     them) or fused mlp.experts.gate_up_proj [E, 2I, C] / down_proj [E, C, I].
// Decisions where the references differ (model-spec AMBIGUITY notes), and why:
//   * lightning output RMSNorm eps = 1e-6: what MiniMax's own code and transformers construct
//     (vLLM's 1e-5 is a re-implementation);
//   * decay slopes: a checkpoint's own `self_attn.slope_rate` buffer when it carries one (transformers
//     saves it: it is exactly what that model computed); otherwise the remote-code factor
//     1 − l/(L−1) + 1e-5 for remote-layout configs and transformers' 1 − l/(L−1+1e-5) + 1e-5 with
//     its power-of-two slope rule for native configs — each layout as its authors' code computes it.
#pragma once

#include "engine/core/dtype.h"
#include "engine/models/model.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace linea {

struct ModelFiles;
class MemoryTensorSource;

struct MiniMaxShape {
  std::int64_t n_vocab = 0;
  std::int64_t n_embd = 0;
  std::int64_t n_layer = 0;
  std::int64_t heads = 0;
  std::int64_t kv_heads = 0;
  std::int64_t head_dim = 0;
  std::int64_t rotary_dim = 0;
  std::int64_t experts = 0;
  std::int64_t experts_per_token = 0;
  std::int64_t expert_ffn = 0;  // intermediate size per expert
  std::vector<bool> softmax_layers;  // per layer: true = softmax attention, false = lightning
  double rope_theta = 10'000'000.0;
  float alpha = 1.0f;  // residual scale of every sub-layer
};

bool minimax_recognises(const ModelFiles& files);
std::shared_ptr<const Model> load_minimax(const ModelFiles& files);

// Random weights in MiniMax's remote-code layout, with the config.json that describes them.
std::unique_ptr<MemoryTensorSource> random_minimax_weights(const MiniMaxShape& shape, DType dtype,
                                                           std::uint64_t seed);
// Benchmark shapes: "8x256" (8 layers, d 256), "12x1024" (12 layers, d 1024; about 0.4 B active
// parameters per token with the embeddings); std::nullopt for others.
std::optional<MiniMaxShape> minimax_benchmark_shape(std::string_view size);
std::shared_ptr<const Model> make_random_minimax(std::string_view size, DType dtype, std::uint64_t seed);

}  // namespace linea
