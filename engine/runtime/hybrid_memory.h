// The memory of a hybrid model: fixed-size recurrent states (lightning attention) side by side with
// KV caches that grow by one row per position (softmax layers). One Memory, so sessions, forks and
// state files handle both kinds alike. Blob names: the recurrent tensors' own names, and
// "<cache>.keys" / "<cache>.values" per KV cache ([positions, kv_heads, head_dim] fp32 each).
#pragma once

#include "engine/layers/softmax_attention.h"
#include "engine/runtime/memory.h"
#include "engine/runtime/recurrent_state.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace linea {

class HybridMemory final : public Memory {
 public:
  // Adds a zero-filled recurrent tensor; returns its index in recurrent().
  std::size_t add_recurrent(std::string name, std::int64_t element_count) {
    return recurrent_.add(std::move(name), element_count);
  }
  // Adds an empty KV cache of `width` = kv_heads · head_dim floats per position; returns its index.
  std::size_t add_cache(std::string name, std::int64_t width);

  RecurrentState& recurrent() { return recurrent_; }
  const RecurrentState& recurrent() const { return recurrent_; }
  layers::KvCache& cache(std::size_t index) { return caches_[index].cache; }
  std::size_t cache_count() const { return caches_.size(); }

  // Bytes that grow with each position (all KV caches together).
  std::uint64_t bytes_per_position() const;

  std::unique_ptr<Memory> clone() const override { return std::make_unique<HybridMemory>(*this); }
  void clear() override;
  std::uint64_t byte_size() const override;
  std::vector<StateBlobView> blob_views() const override;
  void restore(std::span<const StateBlob> blobs, const std::string& source) override;
  std::optional<std::uint64_t> positions() const override;

 private:
  struct NamedCache {
    std::string keys_name;
    std::string values_name;
    layers::KvCache cache;
  };
  RecurrentState recurrent_;
  std::vector<NamedCache> caches_;
};

}  // namespace linea
