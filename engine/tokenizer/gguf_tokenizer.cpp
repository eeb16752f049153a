#include "engine/tokenizer/gguf_tokenizer.h"

#include "engine/io/format_error.h"
#include "engine/io/gguf.h"
#include "engine/tokenizer/bpe_tokenizer.h"
#include "engine/tokenizer/pre_tokenizer.h"
#include "engine/tokenizer/python_literal.h"
#include "engine/tokenizer/rwkv_world_tokenizer.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace linea::tokenizer {
namespace {

// Qwen2's and Llama 3's patterns as llama.cpp spells them (case-insensitive contractions written
// out, which matches tokenizer.json's (?i:...) form).
constexpr std::string_view kQwen2Pattern =
    R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr std::string_view kLlama3Pattern =
    R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

[[noreturn]] void fail(const GgufTokenizerData& data, const std::string& message) {
  throw io::FormatError(data.source, std::nullopt, message);
}

GgufTokenType type_of(const GgufTokenizerData& data, std::size_t id) {
  return data.token_types.empty() ? GgufTokenType::normal : static_cast<GgufTokenType>(data.token_types[id]);
}

void check_ids(const GgufTokenizerData& data) {
  const std::pair<const char*, std::optional<TokenId>> roles[] = {
      {"tokenizer.ggml.bos_token_id", data.bos},     {"tokenizer.ggml.eos_token_id", data.eos},
      {"tokenizer.ggml.unknown_token_id", data.unk}, {"tokenizer.ggml.padding_token_id", data.pad},
      {"tokenizer.ggml.eot_token_id", data.eot},     {"tokenizer.ggml.eom_token_id", data.eom}};
  for (const auto& [key, id] : roles)
    if (id && (*id < 0 || static_cast<std::size_t>(*id) >= data.tokens.size()))
      fail(data, std::string(key) + " is " + std::to_string(*id) + ", outside the " +
                     std::to_string(data.tokens.size()) + " tokens");
}

SpecialTokenIds special_ids_of(const GgufTokenizerData& data) {
  SpecialTokenIds ids;
  ids.bos = data.bos;
  ids.eos = data.eos;
  ids.unk = data.unk;
  ids.pad = data.pad;
  for (std::optional<TokenId> id : {data.eos, data.eot, data.eom})
    if (id) ids.add_end_of_generation(*id);
  return ids;
}

std::unique_ptr<Tokenizer> make_bpe(const GgufTokenizerData& data) {
  const std::optional<std::string> pattern = gguf_pre_tokenizer_pattern(data.pre);
  if (!pattern)
    fail(data, (data.pre.empty() ? std::string("tokenizer.ggml.pre is missing")
                                 : "tokenizer.ggml.pre '" + data.pre + "' is not supported") +
                   " (supported: gpt-2, qwen2, llama-bpe)");
  BpeTokenizerSpec spec;
  spec.source = data.source;
  for (std::size_t id = 0; id < data.tokens.size(); ++id) {
    const auto token_id = static_cast<TokenId>(id);
    switch (type_of(data, id)) {
      case GgufTokenType::control:
        spec.added_tokens.push_back({token_id, data.tokens[id], true, false, false, false, false});
        break;
      case GgufTokenType::user_defined:
        spec.added_tokens.push_back({token_id, data.tokens[id], false, false, false, false, false});
        break;
      default: spec.vocab.emplace_back(data.tokens[id], token_id);
    }
  }
  spec.merges.reserve(data.merges.size());
  for (std::size_t i = 0; i < data.merges.size(); ++i) {
    const std::string& merge = data.merges[i];
    const std::size_t space = merge.find(' ');
    if (space == std::string::npos || merge.find(' ', space + 1) != std::string::npos)
      fail(data,
           "tokenizer.ggml.merges[" + std::to_string(i) + "] '" + merge + "' is not two tokens separated by one space");
    spec.merges.emplace_back(merge.substr(0, space), merge.substr(space + 1));
  }
  // As tokenizer.json spells these: GPT-2's regex inside ByteLevel, the others as a Split before it.
  if (data.pre == "gpt-2") {
    spec.pre_tokenizer.push_back(PreTokenizerStep::byte_level(false, true));
  } else {
    spec.pre_tokenizer.push_back(PreTokenizerStep::split(*pattern, SplitBehavior::isolated));
    spec.pre_tokenizer.push_back(PreTokenizerStep::byte_level(false, false));
  }
  spec.special_ids = special_ids_of(data);
  return std::make_unique<BpeTokenizer>(spec);
}

std::unique_ptr<Tokenizer> make_rwkv(const GgufTokenizerData& data) {
  std::vector<RwkvToken> tokens(data.tokens.size());
  for (std::size_t id = 0; id < data.tokens.size(); ++id) {
    RwkvToken& token = tokens[id];
    token.piece = data.tokens[id];
    const GgufTokenType type = type_of(data, id);
    token.special = type == GgufTokenType::control;
    token.matchable = type != GgufTokenType::unused;
    if (token.special || !token.matchable) continue;
    try {
      token.bytes = parse_python_bytes_body(data.tokens[id]);
    } catch (const std::invalid_argument& error) {
      fail(data, "tokenizer.ggml.tokens[" + std::to_string(id) + "]: " + error.what());
    }
  }
  if (tokens.empty() || !tokens[0].special) fail(data, "token 0 of an rwkv vocabulary must be a control token");
  auto tokenizer = std::make_unique<RwkvWorldTokenizer>(std::move(tokens), data.source);
  return tokenizer;
}

}  // namespace

std::optional<std::string> gguf_pre_tokenizer_pattern(std::string_view pre) {
  if (pre == "gpt-2") return std::string(kGpt2SplitPattern);
  if (pre == "qwen2") return std::string(kQwen2Pattern);
  if (pre == "llama-bpe") return std::string(kLlama3Pattern);
  return std::nullopt;
}

std::unique_ptr<Tokenizer> make_gguf_tokenizer(const GgufTokenizerData& data) {
  if (data.tokens.empty()) fail(data, "tokenizer.ggml.tokens is empty");
  if (!data.token_types.empty() && data.token_types.size() != data.tokens.size())
    fail(data, "tokenizer.ggml.token_type has " + std::to_string(data.token_types.size()) + " entries, expected " +
                   std::to_string(data.tokens.size()) + " (one per token)");
  for (std::size_t id = 0; id < data.token_types.size(); ++id)
    if (data.token_types[id] < 1 || data.token_types[id] > 6)
      fail(data, "tokenizer.ggml.token_type[" + std::to_string(id) + "] is " + std::to_string(data.token_types[id]) +
                     ", expected 1..6");
  check_ids(data);
  if (data.model == "gpt2") return make_bpe(data);
  if (data.model == "rwkv") return make_rwkv(data);
  fail(data, "tokenizer.ggml.model '" + data.model + "' is not supported (supported: gpt2, rwkv)");
}

GgufTokenizerData read_gguf_tokenizer_data(const io::GgufFile& file) {
  GgufTokenizerData data;
  data.source = file.describe();
  data.model = file.get_string("tokenizer.ggml.model");
  data.tokens = file.get_string_array("tokenizer.ggml.tokens");
  if (file.find_metadata("tokenizer.ggml.pre")) data.pre = file.get_string("tokenizer.ggml.pre");
  if (file.find_metadata("tokenizer.ggml.token_type"))
    for (std::int64_t type : file.get_int_array("tokenizer.ggml.token_type"))
      data.token_types.push_back(static_cast<std::int32_t>(std::clamp<std::int64_t>(type, -1, 1000)));
  if (file.find_metadata("tokenizer.ggml.merges")) data.merges = file.get_string_array("tokenizer.ggml.merges");
  auto id = [&](const char* key) -> std::optional<TokenId> {
    if (!file.find_metadata(key)) return std::nullopt;
    const std::int64_t value = file.get_int(key);
    if (value < 0 || value > std::numeric_limits<TokenId>::max())
      throw io::FormatError(data.source, std::nullopt,
                            std::string(key) + " is " + std::to_string(value) + ", not a token id");
    return static_cast<TokenId>(value);
  };
  data.bos = id("tokenizer.ggml.bos_token_id");
  data.eos = id("tokenizer.ggml.eos_token_id");
  data.unk = id("tokenizer.ggml.unknown_token_id");
  data.pad = id("tokenizer.ggml.padding_token_id");
  data.eot = id("tokenizer.ggml.eot_token_id");
  data.eom = id("tokenizer.ggml.eom_token_id");
  return data;
}

ChatTemplateHints read_gguf_chat_hints(const io::GgufFile& file) {
  ChatTemplateHints hints;
  if (file.find_metadata("tokenizer.chat_template")) hints.template_text = file.get_string("tokenizer.chat_template");
  if (file.find_metadata("general.architecture")) hints.model_type = file.get_string("general.architecture");
  if (file.find_metadata("tokenizer.ggml.model")) hints.tokenizer_model = file.get_string("tokenizer.ggml.model");
  return hints;
}

}  // namespace linea::tokenizer
