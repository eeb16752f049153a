// Writing GGUF v3 files: metadata of every type (arrays and nested arrays included) and tensors,
// each padded to the alignment, written atomically (engine/core/atomic_file.h: a temporary file in
// the same folder, fsync, rename), so a reader never sees half a file and a failed write leaves
// nothing behind.
//
//   linea::io::GgufWriter writer;
//   writer.add_metadata("general.architecture", "rwkv7");
//   writer.add_metadata("rwkv7.block_count", std::uint32_t{12});
//   writer.add_tensor("output_norm.weight", linea::DType::f32, {768}, bytes);  // PyTorch-order shape
//   writer.write("model.gguf");
//
// The alignment is general.alignment when that key is added (a UINT32 power of two, multiple of 8),
// else 32. Tensors are stored in the order added, densely, as ggml's reader requires. Mistakes
// (duplicate key or tensor, a name of 64 bytes or more, a byte count that does not match the shape,
// a dtype GGUF cannot hold) throw std::invalid_argument when added; I/O failures throw
// linea::FileWriteError naming the path and the reason.
#pragma once

#include "engine/core/dtype.h"
#include "engine/io/gguf_types.h"

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace linea::io {

class GgufWriter {
 public:
  GgufWriter() = default;
  GgufWriter(GgufWriter&&) = default;
  GgufWriter& operator=(GgufWriter&&) = default;
  GgufWriter(const GgufWriter&) = delete;  // tensors may point into buffers the writer owns
  GgufWriter& operator=(const GgufWriter&) = delete;

  void add_metadata(std::string key, GgufValue value);

  // `data` is not copied: it must stay valid until write() returns.
  void add_tensor(std::string name, DType dtype, std::vector<std::int64_t> shape, std::span<const std::byte> data);
  // Takes ownership of the bytes.
  void add_tensor(std::string name, DType dtype, std::vector<std::int64_t> shape, std::vector<std::byte> data);

  std::uint32_t alignment() const { return alignment_; }

  void write(const std::filesystem::path& path) const;
  // The whole file as bytes (for tests and small files).
  std::vector<std::byte> to_bytes() const;

 private:
  struct Tensor {
    std::string name;
    std::uint32_t ggml_type;
    std::vector<std::int64_t> shape;  // PyTorch order
    std::span<const std::byte> data;
    std::vector<std::byte> owned;  // backs `data` when the writer owns it
  };

  std::vector<std::byte> header() const;  // everything before the tensor data, padding included

  std::vector<std::pair<std::string, GgufValue>> metadata_;
  std::vector<Tensor> tensors_;
  std::uint32_t alignment_ = kGgufDefaultAlignment;
};

}  // namespace linea::io
