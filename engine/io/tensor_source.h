// The one view of model weights that every loader produces and every model consumes: a name maps to
// a dtype, a shape (PyTorch order, outermost first) and a pointer into a memory-mapped file.
// Implemented by the safetensors (single or sharded) and GGUF readers; models never care which.
#pragma once

#include "engine/core/dtype.h"

#include <cstddef>
#include <initializer_list>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace linea::io {

struct TensorInfo {
  std::string name;
  DType dtype = DType::f32;
  std::vector<std::int64_t> shape;  // PyTorch order; GGUF's ne[] reversed. [] = scalar
  const std::byte* data = nullptr;  // valid for the lifetime of the source that produced it
  std::uint64_t size_bytes = 0;
  std::uint64_t file_offset = 0;    // absolute byte offset of `data` in its file, for messages
  std::string file;                 // the file holding the data (one shard of a sharded checkpoint)

  std::int64_t element_count() const {
    std::int64_t count = 1;
    for (std::int64_t d : shape) count *= d;
    return count;
  }
};

// "[2, 3]": how error messages and listings print a shape.
template <typename Int>
std::string shape_text(const std::vector<Int>& shape) {
  std::ostringstream out;
  out << '[';
  for (std::size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
  out << ']';
  return out.str();
}
inline std::string shape_text(std::initializer_list<std::int64_t> shape) {
  return shape_text(std::vector<std::int64_t>(shape));
}

class TensorSource {
 public:
  virtual ~TensorSource() = default;

  // nullptr when absent.
  virtual const TensorInfo* find(std::string_view name) const = 0;
  // Every tensor, in file order.
  virtual const std::vector<TensorInfo>& tensors() const = 0;
  // What this source is, for messages: a path, or "sharded checkpoint <dir> (N files)".
  virtual std::string describe() const = 0;

  // The caller keeps its own copy of these tensor bytes (a regrouped matrix) and no longer reads
  // them here: a source that maps a file drops their pages from the process's memory (read again,
  // they come back from the file); one that holds them in memory keeps them.
  virtual void drop_pages(const std::byte* /*data*/, std::size_t /*bytes*/) const {}
};

}  // namespace linea::io
