// What an architecture's loader receives: the opened weights and the hyper-parameters that came with
// them (GGUF metadata, or a Hugging Face folder's config.json). Internal to the engine's model layer.
#pragma once

#include "engine/io/gguf.h"
#include "engine/io/tensor_source.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace linea {

struct ModelFiles {
  std::filesystem::path path;  // what the user named (file or folder)
  std::string format;          // "GGUF", "safetensors", "sharded safetensors", "rwkv.cpp", "memory"
  std::shared_ptr<const io::TensorSource> tensors;
  const io::GgufFile* gguf = nullptr;    // GGUF metadata (points into `tensors`), else null
  std::optional<nlohmann::json> config;  // config.json beside safetensors weights, when present
  std::filesystem::path config_path;

  // GGUF general.architecture, or config.json model_type; empty when neither says.
  std::string declared_architecture() const;
};

// Opens a GGUF file, a safetensors file / sharded index / Hugging Face folder (with its config.json),
// or an rwkv.cpp .bin file. Throws io::FormatError / std::system_error with the reason.
ModelFiles open_model_files(const std::filesystem::path& path);

}  // namespace linea
