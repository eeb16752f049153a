// The weights view: open whatever a user points at (a GGUF file, a safetensors file, a sharded
// checkpoint's index, or a Hugging Face model folder) as one TensorSource.
//
//   std::unique_ptr<linea::io::TensorSource> weights = linea::io::open_weights(path);
//
// Folders: model.safetensors.index.json wins, then model.safetensors, then a single *.gguf file.
// Anything else is an error that says what was looked for and what was found.
#pragma once

#include "engine/io/tensor_source.h"

#include <filesystem>
#include <memory>
#include <string_view>

namespace linea::io {

enum class WeightsFormat { gguf, safetensors, safetensors_sharded };

std::string_view weights_format_name(WeightsFormat format);  // "GGUF", "safetensors", "sharded safetensors"

struct WeightsLocation {
  WeightsFormat format;
  std::filesystem::path file;    // the GGUF / safetensors file, or the index of a sharded checkpoint
  std::filesystem::path folder;  // where config.json and tokenizer files would be
};

// Decides the format from the folder's contents or the file's first bytes, without validating it.
// Throws FormatError (or std::system_error when the path cannot be read).
WeightsLocation locate_weights(const std::filesystem::path& file_or_dir);

// locate_weights, then opens and validates the weights.
std::unique_ptr<TensorSource> open_weights(const std::filesystem::path& file_or_dir);

}  // namespace linea::io
