// Decoder-only language models built from softmax-attention and lightning-attention layers: MiniMax's
// lightning hybrid (model-spec §1: postnorm residuals scaled by α, β; MoE in every layer) and plain
// prenorm Llama / Qwen2 decoders (§5), which are what a hybrid's softmax layers already are. The
// loaders (minimax.cpp, llama.cpp beside this file) read the weights and fill DecoderWeights.
//
// Memory: a HybridMemory with "layers.{i}.lightning" [heads, D, D] per lightning layer and a KV
// cache "layers.{i}.attention" per softmax layer.
#pragma once

#include "engine/cpu/attention_ops.h"
#include "engine/cpu/packed_weights.h"
#include "engine/io/tensor_source.h"
#include "engine/layers/feed_forward.h"
#include "engine/layers/lightning_attention.h"
#include "engine/layers/rms_norm.h"
#include "engine/layers/softmax_attention.h"
#include "engine/models/model.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace linea {

// Every sub-layer computes f(norm(x)); what it is added to differs (α = β = 1 unless a config says):
enum class ResidualStyle {
  prenorm,          // x ← α·x + β·f(norm(x))         (Llama, Qwen2; MiniMax with postnorm = false)
  scaled_postnorm,  // x ← α·norm(x) + β·f(norm(x))   (MiniMax, postnorm = true: DeepNorm-style α)
};

struct DecoderLayer {
  layers::RmsNorm input_norm;
  std::optional<layers::LightningAttention> lightning;  // exactly one of these two
  std::optional<layers::SoftmaxAttention> softmax;
  layers::RmsNorm post_attention_norm;
  std::optional<layers::SwiGluMlp> mlp;  // exactly one of these two
  std::optional<layers::MixtureOfExperts> moe;
  float attention_alpha = 1.0f, attention_beta = 1.0f;
  float mlp_alpha = 1.0f, mlp_beta = 1.0f;
};

struct DecoderWeights {
  std::shared_ptr<cpu::PackedWeights> packed;  // holds the regrouped matrices the views below may use
  ResidualStyle residual = ResidualStyle::prenorm;
  cpu::WeightView embedding;  // [V, C]
  std::vector<DecoderLayer> layers;
  layers::RmsNorm final_norm;
  cpu::WeightView head;  // [V, C] (the embedding's bytes when tied)
};

class DecoderModel final : public Model {
 public:
  // `info` arrives with architecture, description, source, format and fingerprint filled; the sizes
  // are filled here. `source` keeps the mapped weights alive.
  DecoderModel(std::shared_ptr<const io::TensorSource> source, DecoderWeights weights, ModelInfo info);

  const ModelInfo& info() const override { return info_; }
  const DecoderWeights& weights() const { return weights_; }
  std::unique_ptr<Memory> new_memory() const override;
  using Model::forward;
  void forward(cpu::ThreadPool& pool, std::span<const std::int32_t> tokens, Memory& memory, LogitsFor which,
               std::vector<float>& logits, std::span<const EmbeddingRows> replaced) const override;

  // A test switch: which form lightning layers use (automatic: block form for prefill, recurrence
  // for decode). Atomic, so flipping it between forward passes of other threads is safe.
  void set_lightning_form(cpu::LightningForm form) const { lightning_form_ = form; }

  // Wall time spent in each kind of sub-layer since load (all sessions together), for benchmarks
  // that report where the time goes (the softmax layers' quadratic share at long context).
  struct TimeSplit {
    double lightning_seconds = 0, softmax_seconds = 0, feed_forward_seconds = 0, other_seconds = 0;
  };
  TimeSplit time_split() const;

 private:
  std::shared_ptr<const io::TensorSource> source_;
  DecoderWeights weights_;
  ModelInfo info_;
  std::vector<std::size_t> memory_slot_;  // per layer: index of its recurrent tensor or KV cache
  mutable std::atomic<cpu::LightningForm> lightning_form_{cpu::LightningForm::automatic};
  mutable std::atomic<std::uint64_t> lightning_ns_{0}, softmax_ns_{0}, feed_forward_ns_{0}, total_ns_{0};
};

}  // namespace linea
