// Reading GGUF v3 files (model-spec §6.2), the llama.cpp model format: typed metadata and tensors
// memory-mapped in place. A GgufFile is a TensorSource; shapes are given in PyTorch order (ggml's
// ne[] reversed), so a linear weight reads [out, in] whichever format it came from.
//
//   auto gguf = linea::io::GgufFile::open("rwkv7.gguf");
//   std::string arch = gguf->get_string("general.architecture");
//   std::int64_t layers = gguf->get_int(arch + ".block_count");
//   const linea::io::TensorInfo* embedding = gguf->find("token_embd.weight");
//
// Opening validates the whole structure and throws FormatError (file, byte offset, what was expected)
// on anything ggml itself would reject, and more: only version 3; metadata of every type including
// nested arrays (depth and element counts bounded by the file's size); strings within the file and
// valid UTF-8; unique keys; tensor names under 64 bytes and unique; 1..4 dims, each >= 0, with
// overflow-checked products; ne[0] a multiple of the type's block size; general.alignment a UINT32
// power of two that is a multiple of 8; each tensor's offset exactly where ggml expects it (densely
// in info order, each padded to the alignment); all data within the file. Tensor types read: F32,
// F16, BF16, F64, I8, I16, I32, I64, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K; any other type
// is an error naming the tensor and the type ("type IQ2_XXS (16) is not supported").
#pragma once

#include "engine/io/gguf_types.h"
#include "engine/io/mapped_file.h"
#include "engine/io/tensor_source.h"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace linea::io {

// Arrays may contain arrays; deeper nesting than this is treated as a corrupt file.
inline constexpr int kGgufMaxArrayDepth = 8;

struct GgufMetadataEntry {
  std::string key;
  GgufValue value;
};

class GgufFile final : public TensorSource {
 public:
  // Throws std::system_error when the file cannot be mapped, FormatError when it is not valid.
  static std::unique_ptr<GgufFile> open(const std::filesystem::path& path);

  const TensorInfo* find(std::string_view name) const override;
  const std::vector<TensorInfo>& tensors() const override { return tensors_; }  // in info (= file) order
  std::string describe() const override { return file_.path().string(); }
  void drop_pages(const std::byte* data, std::size_t bytes) const override { file_.drop_pages(data, bytes); }

  std::uint32_t version() const { return version_; }
  std::uint32_t alignment() const { return alignment_; }
  std::uint64_t data_offset() const { return data_offset_; }  // where the tensor data section starts
  std::uint64_t file_size() const { return file_.size(); }

  // Metadata in file order.
  const std::vector<GgufMetadataEntry>& metadata() const { return metadata_; }
  // nullptr when absent.
  const GgufValue* find_metadata(std::string_view key) const;

  // Typed accessors. Each throws FormatError naming the file and the key when the key is missing
  // ("metadata key 'x' is missing") or holds another type ("... is INT32, expected STRING").
  const GgufValue& get(std::string_view key) const;
  const std::string& get_string(std::string_view key) const;
  std::uint32_t get_u32(std::string_view key) const;
  std::uint64_t get_u64(std::string_view key) const;
  bool get_bool(std::string_view key) const;
  float get_f32(std::string_view key) const;
  // Any integer type whose value fits an int64 (writers disagree on UINT32 versus INT32 and so on).
  std::int64_t get_int(std::string_view key) const;
  // FLOAT32 or FLOAT64.
  double get_float(std::string_view key) const;
  const GgufArray& get_array(std::string_view key) const;
  const std::vector<std::string>& get_string_array(std::string_view key) const;
  const std::vector<float>& get_f32_array(std::string_view key) const;
  // An array of any integer element type, converted (each element must fit an int64).
  std::vector<std::int64_t> get_int_array(std::string_view key) const;

  // The ggml type id each tensor was stored with, in tensors() order (its name via ggml_type_name).
  std::uint32_t ggml_type(std::size_t tensor_index) const { return ggml_types_[tensor_index]; }

 private:
  explicit GgufFile(MappedFile file) : file_(std::move(file)) {}
  void parse();
  [[noreturn]] void wrong_type(std::string_view key, const GgufValue& value, std::string_view expected) const;

  MappedFile file_;
  std::uint32_t version_ = 0;
  std::uint32_t alignment_ = kGgufDefaultAlignment;
  std::uint64_t data_offset_ = 0;
  std::vector<GgufMetadataEntry> metadata_;
  std::unordered_map<std::string_view, std::size_t> metadata_by_key_;
  std::vector<TensorInfo> tensors_;
  std::vector<std::uint32_t> ggml_types_;
  std::unordered_map<std::string_view, std::size_t> tensors_by_name_;
};

}  // namespace linea::io
