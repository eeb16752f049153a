// Tokenizers stored inside GGUF files (llama.cpp's keys): tokenizer.ggml.model "gpt2" (byte-level
// BPE: tokens, token_type, merges, and the pre-tokenizer named by tokenizer.ggml.pre) and "rwkv"
// (RWKV World: tokens written as the text of Python's repr(bytes)[2:-1]).
#pragma once

#include "engine/tokenizer/chat_template.h"
#include "engine/tokenizer/tokenizer.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace linea::io {
class GgufFile;
}

namespace linea::tokenizer {

// llama.cpp's token types (tokenizer.ggml.token_type).
enum class GgufTokenType : std::int32_t {
  normal = 1,
  unknown = 2,
  control = 3,
  user_defined = 4,
  unused = 5,
  byte = 6
};

// The tokenizer keys of a GGUF file, as plain values.
struct GgufTokenizerData {
  std::string source;  // the file, for messages
  std::string model;   // tokenizer.ggml.model
  std::string pre;     // tokenizer.ggml.pre (gpt2 models)
  std::vector<std::string> tokens;
  std::vector<std::int32_t> token_types;  // empty: all normal
  std::vector<std::string> merges;        // "left right"
  std::optional<TokenId> bos, eos, unk, pad, eot, eom;
};

// The split regex a tokenizer.ggml.pre name stands for: "gpt-2", "qwen2", "llama-bpe". Nothing for
// other names.
std::optional<std::string> gguf_pre_tokenizer_pattern(std::string_view pre);

// Builds the tokenizer. Control tokens are special (matched only when allowed), user-defined tokens
// are always matched, unused ones never. Throws linea::io::FormatError naming data.source and the key
// for an unknown model or pre-tokenizer, mismatched array lengths, a bad token or merge.
std::unique_ptr<Tokenizer> make_gguf_tokenizer(const GgufTokenizerData& data);

// Reads the tokenizer keys of an opened GGUF file. Throws linea::io::FormatError.
GgufTokenizerData read_gguf_tokenizer_data(const io::GgufFile& file);

// The chat hints a GGUF file carries: tokenizer.chat_template, general.architecture, the model.
ChatTemplateHints read_gguf_chat_hints(const io::GgufFile& file);

}  // namespace linea::tokenizer
