// The regrouped copies of weight matrices a model multiplies with (WeightLayout): where the active
// kernels prefer another layout than the file's rows for a matrix's dtype, the model keeps a copy in
// that layout here, built at load, for as long as the model lives.
#pragma once

#include "engine/cpu/weight_view.h"
#include "engine/io/tensor_source.h"

#include <cstddef>
#include <memory>
#include <vector>

namespace linea::cpu {

class PackedWeights {
 public:
  // `view` (rows layout) as active_kernels() prefers it: `view` itself, or a regrouped copy held here.
  WeightView prepare(const WeightView& view);
  // The same for a view of `source`'s bytes; after a copy, `source` may drop the file's pages of it.
  WeightView prepare(const WeightView& view, const io::TensorSource& source);

  // Bytes held in regrouped copies.
  std::size_t bytes() const { return bytes_; }

 private:
  // 64-byte aligned room for `size` bytes in the current chunk, or in a new one.
  std::byte* allocate(std::size_t size);

  struct Free {
    void operator()(std::byte* p) const;
  };
  std::vector<std::unique_ptr<std::byte[], Free>> chunks_;
  std::size_t chunk_used_ = 0, chunk_size_ = 0;  // of the last chunk
  std::size_t bytes_ = 0;
};

}  // namespace linea::cpu
