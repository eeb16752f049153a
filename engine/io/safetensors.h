// safetensors checkpoints (model-spec §6.1): one file, or a Hugging Face sharded checkpoint described
// by model.safetensors.index.json. Both are TensorSources over memory-mapped files.
//
// Opening reads only the JSON headers (the tensor data stays unread in the mapping), so a checkpoint
// of many gigabytes opens in milliseconds. Every rule of the reference reader is enforced, and a
// violation throws FormatError naming the file, the byte offset and the tensor:
//   header length (u64 LE) <= 100,000,000 and within the file; the header is one UTF-8 JSON object
//   with no duplicate keys; "__metadata__" maps strings to strings; dtypes are the safetensors list;
//   shapes are non-negative integers; end - begin == prod(shape) * sizeof(dtype) (overflow-checked);
//   the tensors tile the data buffer exactly (no gap, no overlap, the last ends at the buffer's end).
#pragma once

#include "engine/io/mapped_file.h"
#include "engine/io/tensor_source.h"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace linea::io {

// safetensors' header length limit (the reference reader's N_MAX).
inline constexpr std::uint64_t kSafetensorsMaxHeaderBytes = 100'000'000;

class SafetensorsFile final : public TensorSource {
 public:
  // Throws std::system_error when the file cannot be mapped, FormatError when it is not valid.
  static std::unique_ptr<SafetensorsFile> open(const std::filesystem::path& path);

  const TensorInfo* find(std::string_view name) const override;
  const std::vector<TensorInfo>& tensors() const override { return tensors_; }  // by data offset
  std::string describe() const override { return file_.path().string(); }
  void drop_pages(const std::byte* data, std::size_t bytes) const override { file_.drop_pages(data, bytes); }

  const std::map<std::string, std::string>& metadata() const { return metadata_; }  // "__metadata__"
  std::uint64_t header_bytes() const { return header_bytes_; }                      // N: the JSON header's length
  std::uint64_t file_size() const { return file_.size(); }

 private:
  explicit SafetensorsFile(MappedFile file) : file_(std::move(file)) {}
  void parse();

  MappedFile file_;
  std::uint64_t header_bytes_ = 0;
  std::map<std::string, std::string> metadata_;
  std::vector<TensorInfo> tensors_;
  std::unordered_map<std::string_view, std::size_t> by_name_;
};

// A sharded checkpoint: `model.safetensors.index.json` = {"metadata": {...}, "weight_map": {tensor: shard}}.
// Every shard named in weight_map must exist beside the index and be a valid safetensors file; each
// tensor named in the index must be in the shard the index names, and every tensor of every shard
// must be in the index (so no tensor is in two shards). TensorInfo::file names the tensor's shard.
class SafetensorsCheckpoint final : public TensorSource {
 public:
  // `index_path` is the index file itself, or the folder holding model.safetensors.index.json.
  static std::unique_ptr<SafetensorsCheckpoint> open(const std::filesystem::path& index_path);

  const TensorInfo* find(std::string_view name) const override;
  // Shards in file-name order, each shard's tensors by data offset.
  const std::vector<TensorInfo>& tensors() const override { return tensors_; }
  std::string describe() const override;
  void drop_pages(const std::byte* data, std::size_t bytes) const override;

  const std::filesystem::path& index_path() const { return index_path_; }
  const std::vector<std::unique_ptr<SafetensorsFile>>& shards() const { return shards_; }
  // The index's "metadata" object as JSON text ("{}" when absent), e.g. {"total_size": 123}.
  const std::string& index_metadata_json() const { return index_metadata_json_; }

 private:
  SafetensorsCheckpoint() = default;

  std::filesystem::path index_path_;
  std::string index_metadata_json_;
  std::vector<std::unique_ptr<SafetensorsFile>> shards_;
  std::vector<TensorInfo> tensors_;
  std::unordered_map<std::string_view, std::size_t> by_name_;
};

// The canonical file name of a sharded checkpoint's index.
inline constexpr std::string_view kSafetensorsIndexName = "model.safetensors.index.json";

}  // namespace linea::io
