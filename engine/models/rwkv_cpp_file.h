// rwkv.cpp's own model file (`.bin`, model-spec §3.9) as a TensorSource, memory-mapped in place.
//
//   header: six little-endian int32: magic 0x67676d66 ("ggmf"), version 100 or 101, n_vocab,
//           n_embed, n_layer, data_type
//   then until the end of the file, per tensor: int32 dim_count (1..3), int32 key_length,
//           int32 data_type, int32 shape[dim_count] (ggml order: innermost first), the key bytes,
//           the data (no padding)
//   data_type: 0 F32, 1 F16, 2 Q4_0, 3 Q4_1, 7 Q5_0, 8 Q5_1, 9 Q8_0
//
// Shapes are reported in PyTorch order (reversed), like every other TensorSource. Any structural
// problem throws io::FormatError naming the file, the byte offset and the tensor.
#pragma once

#include "engine/io/mapped_file.h"
#include "engine/io/tensor_source.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace linea {

class RwkvCppFile final : public io::TensorSource {
 public:
  static constexpr std::uint32_t kMagic = 0x67676d66;

  // Throws std::system_error when the file cannot be mapped, io::FormatError when it is not valid.
  static std::unique_ptr<RwkvCppFile> open(const std::filesystem::path& path);

  // True when the file starts with the rwkv.cpp magic (cheap; reads 4 bytes).
  static bool looks_like(const std::filesystem::path& path);

  const io::TensorInfo* find(std::string_view name) const override;
  const std::vector<io::TensorInfo>& tensors() const override { return tensors_; }
  std::string describe() const override { return file_.path().string(); }
  void drop_pages(const std::byte* data, std::size_t bytes) const override { file_.drop_pages(data, bytes); }

  std::int32_t version() const { return version_; }
  std::int64_t n_vocab() const { return n_vocab_; }
  std::int64_t n_embed() const { return n_embed_; }
  std::int64_t n_layer() const { return n_layer_; }

 private:
  explicit RwkvCppFile(io::MappedFile file) : file_(std::move(file)) {}
  void parse();

  io::MappedFile file_;
  std::int32_t version_ = 0;
  std::int64_t n_vocab_ = 0;
  std::int64_t n_embed_ = 0;
  std::int64_t n_layer_ = 0;
  std::vector<io::TensorInfo> tensors_;
  std::unordered_map<std::string, std::size_t> by_name_;
};

}  // namespace linea
