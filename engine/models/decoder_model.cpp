#include "engine/models/decoder_model.h"

#include "engine/cpu/ops.h"
#include "engine/cpu/scratch_floats.h"
#include "engine/runtime/hybrid_memory.h"

#include <chrono>
#include <stdexcept>

namespace linea {

namespace {

// x ← α·residual + β·update. With α = β = 1 this is exactly residual + update in float.
void add_residual(std::span<const float> residual, float alpha, std::span<const float> update, float beta,
                  std::span<float> x) {
  for (std::size_t j = 0; j < x.size(); ++j) x[j] = alpha * residual[j] + beta * update[j];
}

std::uint64_t nanoseconds_since(std::chrono::steady_clock::time_point start) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
}

}  // namespace

DecoderModel::TimeSplit DecoderModel::time_split() const {
  TimeSplit split;
  split.lightning_seconds = static_cast<double>(lightning_ns_.load()) * 1e-9;
  split.softmax_seconds = static_cast<double>(softmax_ns_.load()) * 1e-9;
  split.feed_forward_seconds = static_cast<double>(feed_forward_ns_.load()) * 1e-9;
  split.other_seconds = static_cast<double>(total_ns_.load()) * 1e-9 - split.lightning_seconds - split.softmax_seconds -
                        split.feed_forward_seconds;
  return split;
}

DecoderModel::DecoderModel(std::shared_ptr<const io::TensorSource> source, DecoderWeights weights, ModelInfo info)
    : source_(std::move(source)), weights_(std::move(weights)), info_(std::move(info)) {
  info_.n_vocab = weights_.embedding.rows;
  info_.n_embd = weights_.embedding.cols;
  info_.n_layer = static_cast<std::int64_t>(weights_.layers.size());
  info_.weight_bytes = 0;
  for (const io::TensorInfo& tensor : source_->tensors()) info_.weight_bytes += tensor.size_bytes;
  std::size_t recurrent = 0, caches = 0;
  for (const DecoderLayer& layer : weights_.layers) {
    if (layer.lightning) {
      memory_slot_.push_back(recurrent++);
      info_.memory_bytes_fixed += static_cast<std::uint64_t>(layer.lightning->state_size()) * sizeof(float);
    } else {
      memory_slot_.push_back(caches++);
      info_.memory_bytes_per_token += 2 * static_cast<std::uint64_t>(layer.softmax->kv_width()) * sizeof(float);
    }
  }
}

std::unique_ptr<Memory> DecoderModel::new_memory() const {
  auto memory = std::make_unique<HybridMemory>();
  for (std::size_t i = 0; i < weights_.layers.size(); ++i) {
    const DecoderLayer& layer = weights_.layers[i];
    const std::string name = "layers." + std::to_string(i);
    if (layer.lightning)
      memory->add_recurrent(name + ".lightning", layer.lightning->state_size());
    else
      memory->add_cache(name + ".attention", layer.softmax->kv_width());
  }
  return memory;
}

void DecoderModel::forward(cpu::ThreadPool& pool, std::span<const std::int32_t> tokens, Memory& memory, LogitsFor which,
                           std::vector<float>& logits, std::span<const EmbeddingRows> replaced) const {
  auto* hybrid = dynamic_cast<HybridMemory*>(&memory);
  if (!hybrid || hybrid->cache_count() + hybrid->recurrent().tensor_count() != weights_.layers.size())
    throw std::invalid_argument(info_.architecture + ": the memory passed to forward() was not made by this model");

  const auto T = static_cast<std::int64_t>(tokens.size());
  const std::int64_t C = info_.n_embd;
  if (T == 0) {
    logits.clear();
    return;
  }

  const auto forward_start = std::chrono::steady_clock::now();
  // x [T, C]: the residual stream. The lookup validates every token before any memory changes.
  cpu::ScratchFloats x(static_cast<std::size_t>(T * C));
  cpu::embedding_lookup(weights_.embedding, tokens, x);
  replace_embedding_rows(replaced, T, C, x);

  cpu::ScratchFloats normed(x.size()), mixed(x.size());
  const bool postnorm = weights_.residual == ResidualStyle::scaled_postnorm;
  // The norms and residual sums run on position ranges on every pool thread.
  const auto normalize = [&](const auto& norm) {
    cpu::for_position_ranges(pool, T, [&](std::int64_t begin, std::int64_t end) {
      norm.apply(cpu::position_rows(x, C, begin, end), cpu::position_rows(normed, C, begin, end));
    });
  };
  const auto add_mixed = [&](float alpha, float beta) {
    cpu::for_position_ranges(pool, T, [&](std::int64_t begin, std::int64_t end) {
      add_residual(cpu::position_rows(postnorm ? normed : x, C, begin, end), alpha,
                   cpu::position_rows(mixed, C, begin, end), beta, cpu::position_rows(x, C, begin, end));
    });
  };
  for (std::size_t i = 0; i < weights_.layers.size(); ++i) {
    const DecoderLayer& layer = weights_.layers[i];
    const std::size_t slot = memory_slot_[i];

    normalize(layer.input_norm);
    auto start = std::chrono::steady_clock::now();
    if (layer.lightning) {
      layer.lightning->apply(pool, normed, T, hybrid->recurrent().values(slot), mixed, lightning_form_.load());
      lightning_ns_ += nanoseconds_since(start);
    } else {
      layer.softmax->apply(pool, normed, T, hybrid->cache(slot), mixed);
      softmax_ns_ += nanoseconds_since(start);
    }
    add_mixed(layer.attention_alpha, layer.attention_beta);

    normalize(layer.post_attention_norm);
    start = std::chrono::steady_clock::now();
    if (layer.moe)
      layer.moe->apply(pool, normed, T, mixed);
    else
      layer.mlp->apply(pool, normed, T, mixed);
    feed_forward_ns_ += nanoseconds_since(start);
    add_mixed(layer.mlp_alpha, layer.mlp_beta);
  }

  if (which == LogitsFor::none) {
    logits.clear();
  } else {
    const std::int64_t rows = which == LogitsFor::all ? T : 1;
    const std::span<const float> selected = std::span<const float>(x).subspan(static_cast<std::size_t>((T - rows) * C));
    std::vector<float> out_normed(selected.size());
    weights_.final_norm.apply(selected, out_normed);
    logits.resize(static_cast<std::size_t>(rows * info_.n_vocab));
    cpu::matmul(pool, weights_.head, out_normed, rows, logits);
  }
  total_ns_ += nanoseconds_since(forward_start);
}

}  // namespace linea
