// A model together with what is needed to talk to it in text: its tokenizer (from the model file or
// folder; byte-level for 256-token byte models) and its chat format. What the CLI and GUI open.
//
//   linea::ModelBundle bundle = linea::open_model_bundle("models/rwkv7-g1-0.4b");
//   std::vector<std::int32_t> ids = bundle.tokenizer->encode("Hello", false);
#pragma once

#include "engine/models/model.h"
#include "engine/tokenizer/chat_template.h"
#include "engine/tokenizer/tokenizer.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace linea {

struct ModelBundle {
  std::shared_ptr<const Model> model;
  std::shared_ptr<const tokenizer::Tokenizer> tokenizer;  // null when the model has none we can read
  std::optional<tokenizer::ChatFamily> chat_family;       // null when the format is unknown
  std::string tokenizer_source;  // where the tokenizer came from ("bytes" for the byte fallback)
  std::string tokenizer_error;   // why there is no tokenizer, when there is none
};

// Loads the model (registry.h) and looks for its tokenizer beside or inside it. A missing tokenizer
// is not an error here (token ids still work); tokenizer_error then says what was tried.
ModelBundle open_model_bundle(const std::filesystem::path& path);

// A bundle for a model with no files (random weights): byte tokenizer when V = 256, else none.
ModelBundle bundle_without_files(std::shared_ptr<const Model> model);

}  // namespace linea
