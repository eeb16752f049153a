// Finds and loads the tokenizer of a model, whatever form it ships in, together with the hints
// that tell which chat format the model expects.
//
//   auto loaded = linea::tokenizer::load_tokenizer("models/Qwen3-0.6B");
//   std::vector<TokenId> ids = loaded.tokenizer->encode(prompt, /*allow_special=*/true);
#pragma once

#include "engine/tokenizer/chat_template.h"
#include "engine/tokenizer/tokenizer.h"

#include <filesystem>
#include <memory>

namespace linea::tokenizer {

struct LoadedTokenizer {
  std::unique_ptr<Tokenizer> tokenizer;
  ChatTemplateHints chat_hints;
  std::filesystem::path source;  // the file the vocabulary came from
};

// `path` may be:
//   tokenizer.json                         (+ tokenizer_config.json, generation_config.json and
//                                           config.json beside it, for special roles and chat hints)
//   vocab.json                             (merges.txt must be beside it; + the same config files)
//   rwkv_vocab_*.txt                       (the RWKV World vocabulary)
//   *.gguf                                 (the tokenizer stored in the model file)
//   a folder holding one of the above      (tried in that order; a folder with one .gguf uses it)
// Throws linea::io::FormatError naming the file and what is wrong, or saying what was looked for.
LoadedTokenizer load_tokenizer(const std::filesystem::path& path);

}  // namespace linea::tokenizer
