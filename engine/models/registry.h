// The architecture registry: one row per architecture (name, how to recognise its files, how to load
// them). Adding an architecture is one model file plus one row in registry.cpp.
//
//   std::shared_ptr<const linea::Model> model = linea::load_model("rwkv7-g1.gguf");
//   std::shared_ptr<const linea::Model> bench = linea::make_random_model("rwkv7:0.1b", linea::DType::bf16);
#pragma once

#include "engine/core/dtype.h"
#include "engine/models/model.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace linea {

struct ModelFiles;

struct Architecture {
  std::string_view name;         // "rwkv7"
  std::string_view description;  // for --help and messages
  // True when these files hold this architecture (metadata first, tensor names otherwise).
  bool (*recognises)(const ModelFiles& files);
  // Throws io::FormatError naming the file and tensor when something is missing or malformed.
  std::shared_ptr<const Model> (*load)(const ModelFiles& files);
  // Random weights with the shapes of a released size ("0.1b"); null when not offered.
  std::shared_ptr<const Model> (*random)(std::string_view size, DType dtype, std::uint64_t seed);
  std::string_view random_sizes;  // e.g. "0.1b, 0.4b, 1.5b"
};

const std::vector<Architecture>& architectures();

// Opens `path` (GGUF file, Hugging Face folder or safetensors file, rwkv.cpp .bin) and loads it with
// the architecture that recognises it. Throws with a message naming the file and what was wrong
// (including "unknown architecture 'x'; this build knows: rwkv7").
std::shared_ptr<const Model> load_model(const std::filesystem::path& path);

// "ARCH:SIZE", e.g. "rwkv7:0.4b": random weights with that model's real shapes, held in memory in
// `dtype` (F32, F16 or BF16). Throws std::invalid_argument for an unknown spec.
std::shared_ptr<const Model> make_random_model(std::string_view spec, DType dtype, std::uint64_t seed = 1);

}  // namespace linea
