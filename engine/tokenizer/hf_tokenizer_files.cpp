#include "engine/tokenizer/hf_tokenizer_files.h"

#include "engine/io/format_error.h"
#include "engine/io/json_file.h"
#include "engine/tokenizer/byte_level.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace linea::tokenizer {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& source, const std::string& message) {
  throw io::FormatError(source, std::nullopt, message);
}

json parse_json(std::string_view text, const std::string& source) { return io::parse_json(text, source); }

bool flag(const json& object, const char* key, bool fallback) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return fallback;
  if (!it->is_boolean())
    throw json::type_error::create(302, std::string("'") + key + "' must be true or false", &object);
  return it->get<bool>();
}

std::string type_of(const json& object, const std::string& where, const std::string& source) {
  if (!object.is_object() || !object.contains("type") || !object["type"].is_string())
    fail(source, where + " has no \"type\"");
  return object["type"].get<std::string>();
}

void read_normalizer(const json& node, std::vector<NormalizationStep>& steps, const std::string& source) {
  if (node.is_null()) return;
  const std::string type = type_of(node, "normalizer", source);
  if (type == "Sequence") {
    for (const json& inner : node.at("normalizers")) read_normalizer(inner, steps, source);
  } else if (type == "NFC") {
    steps.push_back(NormalizationStep::nfc);
  } else if (type == "NFD") {
    steps.push_back(NormalizationStep::nfd);
  } else if (type == "NFKC") {
    steps.push_back(NormalizationStep::nfkc);
  } else if (type == "NFKD") {
    steps.push_back(NormalizationStep::nfkd);
  } else if (type == "Lowercase") {
    steps.push_back(NormalizationStep::lowercase);
  } else {
    fail(source, "normalizer '" + type + "' is not supported (supported: NFC, NFD, NFKC, NFKD, Lowercase, Sequence)");
  }
}

SplitBehavior behavior_named(const std::string& name, const std::string& source) {
  if (name == "Isolated") return SplitBehavior::isolated;
  if (name == "Removed") return SplitBehavior::removed;
  if (name == "MergedWithPrevious") return SplitBehavior::merged_with_previous;
  if (name == "MergedWithNext") return SplitBehavior::merged_with_next;
  if (name == "Contiguous") return SplitBehavior::contiguous;
  fail(source, "Split behavior '" + name + "' is unknown");
}

void read_pre_tokenizer(const json& node, std::vector<PreTokenizerStep>& steps, const std::string& source) {
  if (node.is_null()) return;
  const std::string type = type_of(node, "pre_tokenizer", source);
  if (type == "Sequence") {
    for (const json& inner : node.at("pretokenizers")) read_pre_tokenizer(inner, steps, source);
  } else if (type == "Split") {
    const json& pattern = node.at("pattern");
    bool literal = false;
    std::string text;
    if (pattern.contains("Regex")) {
      text = pattern["Regex"].get<std::string>();
    } else if (pattern.contains("String")) {
      text = pattern["String"].get<std::string>();
      literal = true;
    } else {
      fail(source, "Split pattern must be {\"Regex\": ...} or {\"String\": ...}");
    }
    steps.push_back(PreTokenizerStep::split(std::move(text),
                                            behavior_named(node.at("behavior").get<std::string>(), source),
                                            flag(node, "invert", false), literal));
  } else if (type == "Digits") {
    steps.push_back(PreTokenizerStep::digits(flag(node, "individual_digits", false)));
  } else if (type == "ByteLevel") {
    steps.push_back(PreTokenizerStep::byte_level(flag(node, "add_prefix_space", true), flag(node, "use_regex", true)));
  } else {
    fail(source, "pre_tokenizer '" + type + "' is not supported (supported: ByteLevel, Split, Digits, Sequence)");
  }
}

void check_decoder(const json& node, const std::string& source) {
  if (node.is_null()) return;
  const std::string type = type_of(node, "decoder", source);
  if (type == "ByteLevel") return;
  if (type == "Sequence") {
    // Accept only sequences that amount to ByteLevel.
    for (const json& inner : node.at("decoders"))
      if (type_of(inner, "decoder", source) != "ByteLevel")
        fail(source, "decoder '" + inner["type"].get<std::string>() + "' is not supported (only ByteLevel)");
    return;
  }
  fail(source, "decoder '" + type + "' is not supported (only ByteLevel: this reader handles byte-level BPE)");
}

void read_model(const json& model, BpeTokenizerSpec& spec, const std::string& source) {
  if (!model.is_object()) fail(source, "\"model\" is missing");
  const std::string type = model.value("type", std::string("BPE"));
  if (type != "BPE") fail(source, "model type '" + type + "' is not supported (only BPE)");
  if (flag(model, "byte_fallback", false)) fail(source, "BPE byte_fallback is not supported (only byte-level BPE)");
  if (model.contains("dropout") && !model["dropout"].is_null() && model["dropout"].get<double>() != 0.0)
    fail(source, "BPE dropout is not supported");
  for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"})
    if (model.contains(key) && !model[key].is_null() && !model[key].get<std::string>().empty())
      fail(source, std::string("BPE ") + key + " is not supported");
  if (model.contains("unk_token") && !model["unk_token"].is_null())
    spec.unknown_piece = model["unk_token"].get<std::string>();
  spec.ignore_merges = flag(model, "ignore_merges", false);

  const json& vocab = model.at("vocab");
  if (!vocab.is_object()) fail(source, "model.vocab must be an object of token -> id");
  spec.vocab.reserve(vocab.size());
  for (const auto& [piece, id] : vocab.items()) spec.vocab.emplace_back(piece, id.get<TokenId>());

  const json& merges = model.at("merges");
  if (!merges.is_array()) fail(source, "model.merges must be an array");
  spec.merges.reserve(merges.size());
  for (std::size_t i = 0; i < merges.size(); ++i) {
    const json& merge = merges[i];
    if (merge.is_string()) {
      // The older form: "left right", exactly one space (byte-level spellings contain none).
      const std::string& text = merge.get_ref<const std::string&>();
      const std::size_t space = text.find(' ');
      if (space == std::string::npos || text.find(' ', space + 1) != std::string::npos)
        fail(source, "merge #" + std::to_string(i) + " '" + text + "' is not two tokens separated by one space");
      spec.merges.emplace_back(text.substr(0, space), text.substr(space + 1));
    } else if (merge.is_array() && merge.size() == 2 && merge[0].is_string() && merge[1].is_string()) {
      spec.merges.emplace_back(merge[0].get<std::string>(), merge[1].get<std::string>());
    } else {
      fail(source, "merge #" + std::to_string(i) + " is neither \"a b\" nor [\"a\", \"b\"]");
    }
  }
}

AddedToken read_added_token(const json& node, TokenId id) {
  AddedToken token;
  token.id = id;
  token.content = node.at("content").get<std::string>();
  token.special = flag(node, "special", false);
  // `tokenizers` defaults `normalized` to the opposite of `special`.
  token.normalized = flag(node, "normalized", !token.special);
  token.lstrip = flag(node, "lstrip", false);
  token.rstrip = flag(node, "rstrip", false);
  token.single_word = flag(node, "single_word", false);
  return token;
}

std::optional<TokenId> id_in_spec(const BpeTokenizerSpec& spec, std::string_view content) {
  for (const AddedToken& token : spec.added_tokens)
    if (token.content == content) return token.id;
  for (const auto& [piece, id] : spec.vocab)
    if (piece == content) return id;
  return std::nullopt;
}

// A tokenizer_config.json token field: "text", {"content": "text", ...}, or null.
std::optional<std::string> token_text(const json& config, const char* key) {
  const auto it = config.find(key);
  if (it == config.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object() && it->contains("content")) return (*it)["content"].get<std::string>();
  return std::nullopt;
}

TokenId largest_id(const BpeTokenizerSpec& spec) {
  TokenId largest = -1;
  for (const auto& entry : spec.vocab) largest = std::max(largest, entry.second);
  for (const AddedToken& token : spec.added_tokens) largest = std::max(largest, token.id);
  return largest;
}

// Adds `content` as a special added token unless it already is an added token; new text gets the
// next free id, as transformers does for a token missing from the vocabulary.
TokenId ensure_special(BpeTokenizerSpec& spec, const std::string& content) {
  for (AddedToken& token : spec.added_tokens)
    if (token.content == content) {
      token.special = true;
      return token.id;
    }
  AddedToken token;
  token.content = content;
  token.special = true;
  const std::optional<TokenId> existing = id_in_spec(spec, content);
  token.id = existing ? *existing : largest_id(spec) + 1;
  spec.added_tokens.push_back(token);
  return token.id;
}

}  // namespace

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw io::FormatError(path.string(), std::nullopt, "cannot open the file");
  std::ostringstream content;
  content << file.rdbuf();
  if (file.bad()) throw io::FormatError(path.string(), std::nullopt, "read error");
  return content.str();
}

BpeTokenizerSpec parse_tokenizer_json(std::string_view json_text, const std::string& source) {
  const json root = parse_json(json_text, source);
  BpeTokenizerSpec spec;
  spec.source = source;
  try {
    if (!root.is_object()) fail(source, "the top level must be a JSON object");
    read_model(root.contains("model") ? root["model"] : json(), spec, source);
    read_normalizer(root.value("normalizer", json()), spec.normalization, source);
    read_pre_tokenizer(root.value("pre_tokenizer", json()), spec.pre_tokenizer, source);
    check_decoder(root.value("decoder", json()), source);
    if (root.contains("added_tokens") && root["added_tokens"].is_array())
      for (const json& node : root["added_tokens"])
        spec.added_tokens.push_back(read_added_token(node, node.at("id").get<TokenId>()));
  } catch (const json::exception& error) {
    fail(source, std::string("unexpected structure: ") + error.what());
  }

  // The model's strings are byte-level spellings only if a ByteLevel step produces them, and a
  // Split after it would see spellings, not text: both cases are outside what this reader handles.
  auto is_byte_level = [](const PreTokenizerStep& step) { return step.kind == PreTokenizerStep::Kind::byte_level; };
  const auto byte_level = std::find_if(spec.pre_tokenizer.begin(), spec.pre_tokenizer.end(), is_byte_level);
  if (byte_level == spec.pre_tokenizer.end())
    fail(source, "pre_tokenizer has no ByteLevel step: only byte-level BPE is supported");
  if (std::any_of(byte_level + 1, spec.pre_tokenizer.end(),
                  [&](const PreTokenizerStep& step) { return !is_byte_level(step); }))
    fail(source, "a Split or Digits step after ByteLevel is not supported");
  return spec;
}

BpeTokenizerSpec read_gpt2_vocab_files(const std::filesystem::path& vocab_json,
                                       const std::filesystem::path& merges_txt) {
  BpeTokenizerSpec spec;
  spec.source = vocab_json.string();
  const json vocab = parse_json(read_text_file(vocab_json), vocab_json.string());
  if (!vocab.is_object()) fail(vocab_json.string(), "expected a JSON object of token -> id");
  spec.vocab.reserve(vocab.size());
  for (const auto& [piece, id] : vocab.items()) {
    if (!id.is_number_integer()) fail(vocab_json.string(), "the id of '" + piece + "' is not an integer");
    spec.vocab.emplace_back(piece, id.get<TokenId>());
  }

  const std::string merges = read_text_file(merges_txt);
  std::size_t line_start = 0;
  std::size_t line_number = 0;
  while (line_start < merges.size()) {
    std::size_t line_end = merges.find('\n', line_start);
    if (line_end == std::string::npos) line_end = merges.size();
    std::string_view line(merges.data() + line_start, line_end - line_start);
    const std::size_t offset = line_start;
    line_start = line_end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.starts_with("#version")) continue;
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos || line.find(' ', space + 1) != std::string_view::npos)
      throw io::FormatError(merges_txt.string(), offset,
                            "line " + std::to_string(line_number) + ": expected two tokens separated by one space");
    spec.merges.emplace_back(std::string(line.substr(0, space)), std::string(line.substr(space + 1)));
  }
  spec.pre_tokenizer.push_back(PreTokenizerStep::byte_level(false, true));
  if (id_in_spec(spec, "<|endoftext|>")) {
    const TokenId id = ensure_special(spec, "<|endoftext|>");
    spec.special_ids.bos = spec.special_ids.eos = spec.special_ids.unk = id;
    spec.special_ids.add_end_of_generation(id);
  }
  return spec;
}

void apply_tokenizer_config(BpeTokenizerSpec& spec, std::string_view config_json, const std::string& source,
                            bool add_listed_tokens) {
  const json config = parse_json(config_json, source);
  try {
    if (!config.is_object()) fail(source, "the top level must be a JSON object");
    if (add_listed_tokens) {
      // A config replaces GPT2Tokenizer's built-in default.
      spec.special_ids = SpecialTokenIds{};
      if (config.contains("added_tokens_decoder") && config["added_tokens_decoder"].is_object()) {
        for (const auto& [id_text, node] : config["added_tokens_decoder"].items()) {
          const TokenId id = std::stoi(id_text);
          AddedToken token = read_added_token(node, id);
          std::erase_if(spec.added_tokens, [&](const AddedToken& t) { return t.content == token.content; });
          spec.added_tokens.push_back(token);
        }
      }
      for (const char* key : {"bos_token", "eos_token", "unk_token", "pad_token"})
        if (const auto text = token_text(config, key)) ensure_special(spec, *text);
      if (config.contains("additional_special_tokens") && config["additional_special_tokens"].is_array())
        for (const json& entry : config["additional_special_tokens"])
          ensure_special(spec, entry.is_string() ? entry.get<std::string>() : entry.at("content").get<std::string>());
      if (config.contains("add_prefix_space"))
        for (PreTokenizerStep& step : spec.pre_tokenizer)
          if (step.kind == PreTokenizerStep::Kind::byte_level)
            step.add_prefix_space = flag(config, "add_prefix_space", false);
    }
    auto role = [&](const char* key) -> std::optional<TokenId> {
      const auto text = token_text(config, key);
      if (!text) return std::nullopt;
      const auto id = id_in_spec(spec, *text);
      if (!id) fail(source, std::string(key) + " '" + *text + "' is not in the vocabulary");
      return id;
    };
    if (auto id = role("bos_token")) spec.special_ids.bos = id;
    if (auto id = role("eos_token")) {
      spec.special_ids.eos = id;
      spec.special_ids.add_end_of_generation(*id);
    }
    if (auto id = role("pad_token")) spec.special_ids.pad = id;
    if (auto id = role("unk_token")) spec.special_ids.unk = id;
  } catch (const json::exception& error) {
    fail(source, std::string("unexpected structure: ") + error.what());
  } catch (const std::logic_error& error) {  // std::stoi on a bad key
    fail(source, std::string("unexpected structure: ") + error.what());
  }
}

void apply_generation_config(SpecialTokenIds& ids, std::string_view config_json, const std::string& source) {
  const json config = parse_json(config_json, source);
  if (!config.is_object() || !config.contains("eos_token_id")) return;
  const json& eos = config["eos_token_id"];
  try {
    if (eos.is_number_integer()) {
      ids.add_end_of_generation(eos.get<TokenId>());
    } else if (eos.is_array()) {
      for (const json& id : eos) ids.add_end_of_generation(id.get<TokenId>());
    }
  } catch (const json::exception& error) {
    fail(source, std::string("eos_token_id: ") + error.what());
  }
}

}  // namespace linea::tokenizer
