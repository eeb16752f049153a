// The memory of recurrent layers: a fixed set of named fp32 tensors (token-shift carries, wkv or
// lightning-attention states) whose size does not grow with the context. Zero for a fresh sequence.
#pragma once

#include "engine/runtime/memory.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace linea {

class RecurrentState final : public Memory {
 public:
  // Adds a zero-filled tensor and returns its index (stable; use it on the hot path).
  std::size_t add(std::string name, std::int64_t element_count);

  std::span<float> values(std::size_t index) { return tensors_[index].values; }
  std::span<const float> values(std::size_t index) const { return tensors_[index].values; }
  const std::string& name(std::size_t index) const { return tensors_[index].name; }
  std::size_t tensor_count() const { return tensors_.size(); }

  std::unique_ptr<Memory> clone() const override;
  void clear() override;
  std::uint64_t byte_size() const override;
  std::vector<StateBlobView> blob_views() const override;
  void restore(std::span<const StateBlob> blobs, const std::string& source) override;

 private:
  struct Tensor {
    std::string name;
    std::vector<float> values;
  };
  std::vector<Tensor> tensors_;
};

}  // namespace linea
