#include "engine/tokenizer/tokenizer_loader.h"

#include "engine/io/format_error.h"
#include "engine/io/gguf.h"
#include "engine/io/json_file.h"
#include "engine/tokenizer/bpe_tokenizer.h"
#include "engine/tokenizer/gguf_tokenizer.h"
#include "engine/tokenizer/hf_tokenizer_files.h"
#include "engine/tokenizer/rwkv_world_tokenizer.h"

#include <vector>

namespace linea::tokenizer {
namespace {

namespace fs = std::filesystem;

bool is_rwkv_vocab(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.starts_with("rwkv_vocab") && path.extension() == ".txt";
}

// tokenizer_config.json, generation_config.json and config.json beside a Hugging Face tokenizer:
// special roles, extra stop ids and the chat hints.
void apply_neighbour_configs(const fs::path& folder, BpeTokenizerSpec& spec, bool add_listed_tokens,
                             ChatTemplateHints& hints) {
  const fs::path tokenizer_config = folder / "tokenizer_config.json";
  if (fs::exists(tokenizer_config)) {
    const std::string text = read_text_file(tokenizer_config);
    apply_tokenizer_config(spec, text, tokenizer_config.string(), add_listed_tokens);
    const nlohmann::json config = io::parse_json(text, tokenizer_config.string());
    if (config.is_object()) {
      if (config.contains("chat_template") && config["chat_template"].is_string())
        hints.template_text = config["chat_template"].get<std::string>();
      if (config.contains("tokenizer_class") && config["tokenizer_class"].is_string())
        hints.tokenizer_class = config["tokenizer_class"].get<std::string>();
    }
  }
  for (const char* name : {"generation_config.json", "config.json"}) {
    const fs::path file = folder / name;
    if (!fs::exists(file)) continue;
    const std::string text = read_text_file(file);
    apply_generation_config(spec.special_ids, text, file.string());
    const nlohmann::json config = io::parse_json(text, file.string());
    if (hints.model_type.empty() && config.is_object() && config.contains("model_type") &&
        config["model_type"].is_string())
      hints.model_type = config["model_type"].get<std::string>();
  }
}

LoadedTokenizer load_tokenizer_json(const fs::path& path) {
  LoadedTokenizer loaded;
  loaded.source = path;
  BpeTokenizerSpec spec = parse_tokenizer_json(read_text_file(path), path.string());
  apply_neighbour_configs(path.parent_path(), spec, false, loaded.chat_hints);
  loaded.tokenizer = std::make_unique<BpeTokenizer>(spec);
  return loaded;
}

LoadedTokenizer load_vocab_json(const fs::path& path) {
  const fs::path merges = path.parent_path() / "merges.txt";
  if (!fs::exists(merges)) throw io::FormatError(path.string(), std::nullopt, "merges.txt must be beside vocab.json");
  LoadedTokenizer loaded;
  loaded.source = path;
  BpeTokenizerSpec spec = read_gpt2_vocab_files(path, merges);
  apply_neighbour_configs(path.parent_path(), spec, true, loaded.chat_hints);
  loaded.tokenizer = std::make_unique<BpeTokenizer>(spec);
  return loaded;
}

LoadedTokenizer load_rwkv_vocab(const fs::path& path) {
  LoadedTokenizer loaded;
  loaded.source = path;
  loaded.tokenizer = RwkvWorldTokenizer::from_vocab_file(path);
  loaded.chat_hints.tokenizer_model = "rwkv";
  return loaded;
}

LoadedTokenizer load_gguf(const fs::path& path) {
  const auto file = io::GgufFile::open(path);
  LoadedTokenizer loaded;
  loaded.source = path;
  loaded.tokenizer = make_gguf_tokenizer(read_gguf_tokenizer_data(*file));
  loaded.chat_hints = read_gguf_chat_hints(*file);
  return loaded;
}

LoadedTokenizer load_from_folder(const fs::path& folder) {
  if (fs::exists(folder / "tokenizer.json")) return load_tokenizer_json(folder / "tokenizer.json");
  if (fs::exists(folder / "vocab.json")) return load_vocab_json(folder / "vocab.json");
  std::vector<fs::path> rwkv_vocabs;
  std::vector<fs::path> ggufs;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    if (is_rwkv_vocab(entry.path())) rwkv_vocabs.push_back(entry.path());
    if (entry.path().extension() == ".gguf") ggufs.push_back(entry.path());
  }
  if (rwkv_vocabs.size() == 1) return load_rwkv_vocab(rwkv_vocabs.front());
  if (rwkv_vocabs.empty() && ggufs.size() == 1) return load_gguf(ggufs.front());
  throw io::FormatError(folder.string(), std::nullopt,
                        rwkv_vocabs.size() > 1 || ggufs.size() > 1
                            ? "several candidate tokenizer files; name one"
                            : "no tokenizer found (looked for tokenizer.json, vocab.json + merges.txt, "
                              "rwkv_vocab_*.txt, or a single .gguf)");
}

}  // namespace

LoadedTokenizer load_tokenizer(const fs::path& path) {
  std::error_code error;
  if (fs::is_directory(path, error)) return load_from_folder(path);
  if (!fs::exists(path, error)) throw io::FormatError(path.string(), std::nullopt, "no such file or folder");
  if (path.extension() == ".gguf") return load_gguf(path);
  if (is_rwkv_vocab(path)) return load_rwkv_vocab(path);
  if (path.filename() == "vocab.json") return load_vocab_json(path);
  if (path.extension() == ".json") return load_tokenizer_json(path);
  throw io::FormatError(path.string(), std::nullopt,
                        "not a tokenizer file this reader knows (tokenizer.json, vocab.json, rwkv_vocab_*.txt, .gguf)");
}

}  // namespace linea::tokenizer
