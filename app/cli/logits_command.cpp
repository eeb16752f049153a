#include "app/cli/logits_command.h"

#include "app/cli/argument_parser.h"
#include "app/cli/image_input.h"
#include "app/cli/model_argument.h"
#include "engine/runtime/model_bundle.h"
#include "engine/runtime/session.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <ostream>
#include <string>

namespace linea::cli {

namespace {

std::vector<std::int32_t> parse_token_list(const std::string& text) {
  std::vector<std::int32_t> tokens;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::string item = text.substr(at, comma - at);
    std::int32_t value = 0;
    const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || error != std::errc() || end != item.data() + item.size())
      throw UsageError("--tokens: '" + item + "' is not a token id (expected a comma-separated list like 1,2,3)");
    tokens.push_back(value);
    at = comma + 1;
  }
  return tokens;
}

void append_float(std::string& out, float value) {
  if (!std::isfinite(value)) {  // JSON has no inf / NaN
    out += "null";
    return;
  }
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

}  // namespace

int run_logits(CommandContext& context) {
  ArgumentParser parser("linea-cli logits", "Print a model's logits for some tokens as JSON.");
  parser.add_flag({"-h", "--help"}, "show this help");
  parser.add_option({"--model"}, "M", "GGUF file, Hugging Face model folder, or rwkv.cpp .bin file (default: the bundled model)");
  parser.add_option({"--tokens"}, "IDS", "comma-separated token ids, e.g. 34,105,110");
  parser.add_option({"--prompt"}, "TEXT", "text, encoded with the model's tokenizer");
  parser.add_option({"--image"}, "FILE",
                    "a picture for a vision-language model: its features take the place of <image> in --prompt");
  parser.add_flag({"--all-positions"}, "print the logits of every position, not only the last");
  parser.add_option({"--state"}, "FILE", "start from the state saved in FILE");
  parser.add_option({"--threads"}, "T", "compute threads (default: every hardware thread)", "0");
  if (!parser.parse_or_help(context.arguments, context.out)) return 0;
  const std::string model_path = model_argument(parser);
  if (parser.has("--tokens") == parser.has("--prompt")) throw UsageError("give exactly one of --tokens and --prompt");
  const long long threads = parser.integer("--threads");
  if (threads < 0) throw UsageError("--threads must not be negative");

  const ModelBundle bundle = open_model_bundle(model_path);
  std::vector<std::int32_t> tokens;
  if (parser.has("--tokens")) {
    tokens = parse_token_list(parser.value("--tokens"));
  } else {
    if (!bundle.tokenizer)
      throw std::runtime_error("no tokenizer for " + model_path + " (" + bundle.tokenizer_error + "); use --tokens");
    tokens = bundle.tokenizer->encode(parser.value("--prompt"), /*allow_special=*/false);
    if (tokens.empty()) throw UsageError("--prompt encodes to no tokens");
  }

  auto pool = std::make_shared<cpu::ThreadPool>(static_cast<int>(threads));
  Session session(bundle.model, pool);
  if (const auto state = parser.optional_value("--state")) session.load(*state);
  FeedOptions options;
  options.logits = parser.has("--all-positions") ? LogitsFor::all : LogitsFor::last;
  std::optional<vision::ImagePrompt> image;
  EmbeddingRows image_rows;
  if (const auto image_file = parser.optional_value("--image")) {
    if (!parser.has("--prompt")) throw UsageError("--image needs --prompt (it says where the picture goes)");
    image = image_prompt(model_path, *image_file, parser.value("--prompt"), *bundle.tokenizer, *bundle.model, *pool);
    tokens = image->tokens;
    image_rows = image->replaced();
    options.replaced = std::span<const EmbeddingRows>(&image_rows, 1);
  }
  const FeedResult result = session.feed(tokens, options);

  const auto n_vocab = static_cast<std::size_t>(bundle.model->info().n_vocab);
  std::string json = "{\"n_vocab\": " + std::to_string(n_vocab) + ", \"logits\": [";
  json.reserve(json.size() + result.logits.size() * 12);
  for (std::size_t row = 0; row * n_vocab < result.logits.size(); ++row) {
    json += row ? ", [" : "[";
    for (std::size_t i = 0; i < n_vocab; ++i) {
      if (i) json += ", ";
      append_float(json, result.logits[row * n_vocab + i]);
    }
    json += ']';
  }
  json += "]}\n";
  context.out << json;
  return 0;
}

}  // namespace linea::cli
