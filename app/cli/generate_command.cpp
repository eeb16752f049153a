#include "app/cli/generate_command.h"

#include "app/cli/argument_parser.h"
#include "app/cli/image_input.h"
#include "app/cli/model_argument.h"
#include "engine/runtime/generation.h"
#include "engine/runtime/model_bundle.h"

#include <filesystem>
#include <iomanip>
#include <ostream>

namespace linea::cli {

void add_sampling_options(ArgumentParser& parser) {
  parser.add_option({"--temp"}, "T", "temperature; 0 picks the most likely token (greedy)", "1.0");
  parser.add_option({"--top-k"}, "K", "keep the K most likely tokens; 0: all", "0");
  parser.add_option({"--top-p"}, "P", "keep the most likely tokens up to probability mass P; 1: all", "1.0");
  parser.add_option({"--min-p"}, "P", "drop tokens less likely than P times the most likely one", "0");
  parser.add_option({"--repeat-penalty"}, "R", "penalty for tokens among the last 64; 1: none", "1.0");
  parser.add_option({"--seed"}, "S", "random seed (the same seed gives the same text)", "0");
}

SamplingParams sampling_from(const ArgumentParser& parser) {
  SamplingParams params;
  params.temperature = static_cast<float>(parser.number("--temp"));
  params.top_k = static_cast<int>(parser.integer("--top-k"));
  params.top_p = static_cast<float>(parser.number("--top-p"));
  params.min_p = static_cast<float>(parser.number("--min-p"));
  params.repetition_penalty = static_cast<float>(parser.number("--repeat-penalty"));
  params.seed = static_cast<std::uint64_t>(parser.integer("--seed"));
  return params;
}

int run_generate(CommandContext& context) {
  ArgumentParser parser("linea-cli generate", "Continue a prompt and stream the text to stdout.");
  parser.add_flag({"-h", "--help"}, "show this help");
  parser.add_option({"--model"}, "M", "GGUF file, Hugging Face model folder, or rwkv.cpp .bin file (default: the bundled model)");
  parser.add_option({"--prompt"}, "TEXT", "the text to continue");
  parser.add_option({"-n", "--n-predict"}, "N", "tokens to generate", "128");
  add_sampling_options(parser);
  parser.add_option({"--image"}, "FILE",
                    "a picture for a vision-language model: its features take the place of <image> in --prompt "
                    "(or come first when the prompt has none)");
  parser.add_option({"--state"}, "FILE",
                    "start from this state file when it exists, and save the state there afterwards");
  parser.add_option({"--threads"}, "T", "compute threads (default: every hardware thread)", "0");
  if (!parser.parse_or_help(context.arguments, context.out)) return 0;
  const std::string model_path = model_argument(parser);
  const std::string prompt_text = parser.value("--prompt");
  const long long count = parser.integer("-n");
  if (count < 0) throw UsageError("-n must not be negative");
  const long long threads = parser.integer("--threads");
  if (threads < 0) throw UsageError("--threads must not be negative");

  const ModelBundle bundle = open_model_bundle(model_path);
  if (!bundle.tokenizer)
    throw std::runtime_error("no tokenizer for " + model_path + " (" + bundle.tokenizer_error +
                             "); use `linea-cli logits --tokens` to work with token ids");
  auto pool = std::make_shared<cpu::ThreadPool>(static_cast<int>(threads));
  Session session(bundle.model, pool);
  const std::optional<std::string> state_file = parser.optional_value("--state");
  if (state_file && std::filesystem::exists(*state_file)) session.load(*state_file);

  std::vector<std::int32_t> prompt;
  if (const auto image_file = parser.optional_value("--image")) {
    // The picture's rows enter with the prompt; generation then continues from the session.
    const vision::ImagePrompt image =
        image_prompt(model_path, *image_file, prompt_text, *bundle.tokenizer, *bundle.model, *pool);
    const EmbeddingRows rows = image.replaced();
    FeedOptions feed;
    feed.replaced = std::span<const EmbeddingRows>(&rows, 1);
    session.feed(image.tokens, feed);
    context.err << "[image: " << image.image_tokens << " tokens]\n";
  } else {
    prompt = bundle.tokenizer->encode(prompt_text, /*allow_special=*/false);
  }
  GenerationOptions options;
  options.max_tokens = static_cast<std::size_t>(count);
  options.sampling = sampling_from(parser);
  options.stop_tokens = bundle.tokenizer->special_ids().end_of_generation;

  const GenerationResult result =
      generate(session, prompt, options, bundle.tokenizer.get(), [&](std::int32_t, std::string_view text) {
        context.out << text << std::flush;
        return true;
      });
  context.out << '\n';
  if (state_file) session.save(*state_file);

  const auto per_second = [](double count_, double seconds) { return seconds > 0 ? count_ / seconds : 0.0; };
  context.err << std::fixed << std::setprecision(1) << "[prompt " << result.prompt_tokens << " tokens, "
              << per_second(static_cast<double>(result.prompt_tokens), result.prefill_seconds)
              << " tokens/s; generated " << result.tokens.size() << " tokens, "
              << per_second(static_cast<double>(result.tokens.size()), result.decode_seconds)
              << " tokens/s; stop: " << stop_reason_name(result.reason)
              << (state_file ? "; state saved to " + *state_file : std::string()) << "]\n";
  return 0;
}

}  // namespace linea::cli
