#include "engine/models/registry.h"

#include "engine/io/format_error.h"
#include "engine/models/llama_decoder.h"
#include "engine/models/minimax.h"
#include "engine/models/model_files.h"
#include "engine/models/rwkv7.h"

#include <stdexcept>

namespace linea {

const std::vector<Architecture>& architectures() {
  static const std::vector<Architecture> table = {
      {"rwkv7", "RWKV-7 \"Goose\" (x070): llama.cpp GGUF, Hugging Face / fla safetensors, rwkv.cpp .bin",
       rwkv7_recognises, load_rwkv7, make_random_rwkv7, "0.1b, 0.4b, 1.5b"},
      {"minimax",
       "MiniMax-Text-01 / M1 lightning-attention hybrid (and the text model of MiniMax-VL-01): MiniMax's remote-code "
       "or transformers' safetensors layout",
       minimax_recognises, load_minimax, make_random_minimax, "8x256, 12x1024"},
      {"llama", "Llama / Mistral / Qwen2 softmax decoders: Hugging Face safetensors with config.json", llama_recognises,
       load_llama, nullptr, ""},
  };
  return table;
}

namespace {

std::string known_names() {
  std::string names;
  for (const Architecture& architecture : architectures())
    names += (names.empty() ? "" : ", ") + std::string(architecture.name);
  return names;
}

}  // namespace

std::shared_ptr<const Model> load_model(const std::filesystem::path& path) {
  const ModelFiles files = open_model_files(path);
  for (const Architecture& architecture : architectures())
    if (architecture.recognises(files)) return architecture.load(files);
  const std::string declared = files.declared_architecture();
  throw io::FormatError(path.string(), std::nullopt,
                        (declared.empty() ? std::string("no known architecture matches these tensors")
                                          : "unknown architecture '" + declared + "'") +
                            "; this build knows: " + known_names());
}

std::shared_ptr<const Model> make_random_model(std::string_view spec, DType dtype, std::uint64_t seed) {
  const std::size_t colon = spec.find(':');
  if (colon == std::string_view::npos)
    throw std::invalid_argument("random model '" + std::string(spec) + "' must be ARCH:SIZE, e.g. rwkv7:0.1b");
  const std::string_view name = spec.substr(0, colon);
  const std::string_view size = spec.substr(colon + 1);
  for (const Architecture& architecture : architectures()) {
    if (architecture.name != name) continue;
    if (!architecture.random)
      throw std::invalid_argument("architecture '" + std::string(name) + "' offers no random weights");
    return architecture.random(size, dtype, seed);
  }
  throw std::invalid_argument("unknown architecture '" + std::string(name) + "'; this build knows: " + known_names());
}

}  // namespace linea
