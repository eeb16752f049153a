#include "app/cli/tokenize_command.h"

#include "app/cli/argument_parser.h"
#include "engine/tokenizer/tokenizer_loader.h"

#include <charconv>
#include <ostream>

namespace linea::cli {
namespace {

// "1,2, 3" -> ids; anything else is a usage error naming the bad item.
std::vector<tokenizer::TokenId> parse_id_list(const std::string& text) {
  std::vector<tokenizer::TokenId> ids;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string_view item(text.data() + start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    tokenizer::TokenId id = 0;
    const auto [rest, error] = std::from_chars(item.data(), item.data() + item.size(), id);
    if (item.empty() || error != std::errc() || rest != item.data() + item.size() || id < 0)
      throw UsageError("--decode: '" + std::string(item) + "' is not a token id (expected e.g. 1,2,3)");
    ids.push_back(id);
    start = end + 1;
  }
  return ids;
}

}  // namespace

int run_tokenize(CommandContext& context) {
  ArgumentParser parser("linea-cli tokenize", "Print the token ids of a text as a JSON array, or decode ids to text.");
  parser.add_flag({"-h", "--help"}, "show this help");
  parser.add_option({"--model"}, "M", "a model folder or .gguf file (its tokenizer is used)");
  parser.add_option({"--tokenizer"}, "FILE",
                    "tokenizer.json, vocab.json (merges.txt beside it), rwkv_vocab_*.txt or .gguf");
  parser.add_flag({"--allow-special"}, "read special tokens written in TEXT (e.g. <|im_end|>) as their ids");
  parser.add_option({"--decode"}, "IDS", "comma-separated token ids to turn back into text");
  parser.add_positional("TEXT", "the text to tokenize", false);
  if (!parser.parse_or_help(context.arguments, context.out)) return 0;
  const std::optional<std::string> model = parser.optional_value("--model");
  const std::optional<std::string> file = parser.optional_value("--tokenizer");
  if (model.has_value() == file.has_value()) throw UsageError("give exactly one of --model and --tokenizer");
  const std::optional<std::string> decode = parser.optional_value("--decode");
  const std::optional<std::string> text = parser.positional("TEXT");
  if (decode.has_value() == text.has_value()) throw UsageError("give either TEXT to tokenize or --decode IDS");
  const std::vector<tokenizer::TokenId> ids = decode ? parse_id_list(*decode) : std::vector<tokenizer::TokenId>{};

  const tokenizer::LoadedTokenizer loaded = tokenizer::load_tokenizer(model ? *model : *file);
  if (decode) {
    context.out << loaded.tokenizer->decode(ids) << '\n';
    return 0;
  }
  const std::vector<tokenizer::TokenId> encoded = loaded.tokenizer->encode(*text, parser.has("--allow-special"));
  context.out << '[';
  for (std::size_t i = 0; i < encoded.size(); ++i) context.out << (i ? "," : "") << encoded[i];
  context.out << "]\n";
  return 0;
}

}  // namespace linea::cli
