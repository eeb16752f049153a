#include "app/cli/chat_command.h"

#include "app/cli/argument_parser.h"
#include "app/cli/image_input.h"
#include "app/cli/model_argument.h"
#include "app/cli/generate_command.h"
#include "app/cli/reply_speaker.h"
#include "engine/runtime/generation.h"
#include "engine/runtime/model_bundle.h"

#include <filesystem>
#include <iostream>
#include <string>

namespace linea::cli {

int run_chat(CommandContext& context) { return run_chat(context, std::cin); }

int run_chat(CommandContext& context, std::istream& in) {
  ArgumentParser parser("linea-cli chat", "Chat with a model over stdin, one message per line.");
  parser.add_flag({"-h", "--help"}, "show this help");
  parser.add_option({"--model"}, "M", "GGUF file, Hugging Face model folder, or rwkv.cpp .bin file (default: the bundled model)");
  parser.add_option({"--state"}, "FILE",
                    "continue the conversation saved in FILE (if it exists) and save it there after each reply");
  parser.add_option({"--system"}, "TEXT", "a system prompt for a new conversation");
  parser.add_option({"-n", "--n-predict"}, "N", "most tokens per reply", "512");
  add_sampling_options(parser);
  parser.add_option({"--threads"}, "T", "compute threads (default: every hardware thread)", "0");
  parser.add_flag({"--speak"}, "read each reply aloud, sentence by sentence, while it is written");
  parser.add_option({"--voice"}, "V",
                    "with --speak: a voice id (flite:slt), name (slt, German) or language (en, de, zh); "
                    "auto picks each sentence's language's voice",
                    "auto");
  parser.add_option({"--rate"}, "R", "with --speak: speaking rate, 1 is normal, 2 twice as fast (0.25..4)", "1");
  parser.add_option({"--device"}, "D",
                    "with --speak: output device, index or name (see linea-cli speak --list-devices)");
  parser.add_option({"--audio-buffer"}, "S",
                    "with --speak: seconds of audio queued before a sentence starts playing; more avoids "
                    "stutter on a busy machine, less starts sooner",
                    "0.05");
  parser.add_option({"--image"}, "FILE",
                    "a picture for a vision-language model, shown with the first message (as MiniMax-VL-01's "
                    "<image> placeholder at its start)");
  if (!parser.parse_or_help(context.arguments, context.out)) return 0;
  const std::string model_path = model_argument(parser);
  const long long max_tokens = parser.integer("-n");
  const long long threads = parser.integer("--threads");
  if (max_tokens <= 0) throw UsageError("-n must be positive");
  if (threads < 0) throw UsageError("--threads must not be negative");
  const double rate = parser.number("--rate");
  if (!(rate >= audio::kMinimumRate && rate <= audio::kMaximumRate))
    throw UsageError("--rate " + parser.value("--rate") + " is outside 0.25..4");
  const double audio_buffer = parser.number("--audio-buffer");
  if (!(audio_buffer >= 0 && audio_buffer <= 600)) throw UsageError("--audio-buffer must be between 0 and 600 seconds");

  const ModelBundle bundle = open_model_bundle(model_path);
  if (!bundle.tokenizer)
    throw std::runtime_error("no tokenizer for " + model_path + " (" + bundle.tokenizer_error + ")");
  if (!bundle.chat_family) throw std::runtime_error("the chat format of " + model_path + " is unknown");
  const tokenizer::ChatFamily family = *bundle.chat_family;
  // RWKV G1 ends a turn with a blank line rather than a token.
  const bool blank_line_ends_reply = family == tokenizer::ChatFamily::rwkv_g1;

  auto pool = std::make_shared<cpu::ThreadPool>(static_cast<int>(threads));
  Session session(bundle.model, pool);
  // The picture is encoded now and goes in with the first message.
  std::optional<EncodedImage> image;
  if (const auto image_file = parser.optional_value("--image"))
    image = encode_image(model_path, *image_file, *bundle.model, *pool);
  const std::optional<std::string> state_file = parser.optional_value("--state");
  if (state_file && std::filesystem::exists(*state_file)) {
    session.load(*state_file);
    context.err << "[continuing the conversation in " << *state_file << ": " << session.position() << " tokens]\n";
  }
  const std::optional<std::string> system = parser.optional_value("--system");

  GenerationOptions options;
  options.max_tokens = static_cast<std::size_t>(max_tokens);
  options.sampling = sampling_from(parser);
  options.stop_tokens = bundle.tokenizer->special_ids().end_of_generation;

  // Opened before the first prompt: loading the voices and the device is not part of any reply.
  std::unique_ptr<ReplySpeaker> speaker;
  if (parser.has("--speak")) {
    ReplySpeakerOptions speech;
    speech.voice = parser.value("--voice");
    speech.rate = rate;
    speech.device = parser.optional_value("--device").value_or("");
    speech.buffer_seconds = audio_buffer;
    speaker = ReplySpeaker::open(speech, context.err);
  }

  context.err << "[chat with " << bundle.model->info().description << "; format " << tokenizer::chat_family_name(family)
              << "; /reset starts over, /quit leaves]\n";
  std::string line;
  while (true) {
    context.out << "> " << std::flush;
    if (!std::getline(in, line) || line == "/quit") break;
    if (line == "/reset") {
      session.reset();
      context.err << "[conversation cleared]\n";
      continue;
    }
    if (line.empty()) continue;

    std::vector<tokenizer::ChatMessage> turn;
    if (session.position() == 0 && system) turn.push_back({"system", *system, std::nullopt, {}});
    turn.push_back({"user", image ? "<image>\n" + line : line, std::nullopt, {}});
    const std::string text = tokenizer::render_chat(family, turn);
    std::vector<std::int32_t> prompt = bundle.tokenizer->encode(text, /*allow_special=*/true);
    if (image) {
      // The placeholder becomes the picture's rows; the turn is fed here and the reply follows it.
      const vision::ImagePrompt shown =
          vision::expand_image_placeholder(prompt, image->placeholder, std::move(image->embeddings));
      const EmbeddingRows rows = shown.replaced();
      FeedOptions feed;
      feed.replaced = std::span<const EmbeddingRows>(&rows, 1);
      session.feed(shown.tokens, feed);
      context.err << "[picture: " << shown.image_tokens << " tokens]\n";
      prompt.clear();
      image.reset();
    }

    // Print the reply as it streams, holding back a trailing newline until it is known not to be
    // the first half of the blank line that ends an RWKV reply.
    std::string reply;
    std::size_t printed = 0;
    const GenerationResult result =
        generate(session, prompt, options, bundle.tokenizer.get(), [&](std::int32_t, std::string_view piece) {
          reply += piece;
          std::size_t end = reply.size();
          bool finished = false;
          if (blank_line_ends_reply) {
            if (const auto blank = reply.find("\n\n"); blank != std::string::npos) {
              end = blank;
              finished = true;
            } else if (!reply.empty() && reply.back() == '\n') {
              --end;
            }
          }
          if (end > printed) {
            const std::string_view shown = std::string_view(reply).substr(printed, end - printed);
            context.out << shown << std::flush;
            if (speaker) speaker->add(shown);
            printed = end;
          }
          return !finished;
        });
    context.out << '\n';
    if (speaker) speaker->finish_reply();
    if (result.reason == StopReason::max_tokens) context.err << "[reply cut at " << max_tokens << " tokens]\n";
    // Close an RWKV turn that ended any other way, so the next "User:" starts on its own paragraph.
    if (blank_line_ends_reply && result.reason != StopReason::callback)
      session.feed(bundle.tokenizer->encode("\n\n", false));
    if (state_file) session.save(*state_file);
  }
  context.out << '\n';
  if (speaker) {
    speaker->wait_until_done();
    context.err << "[spoke " << speaker->seconds_played() << " s of audio, " << speaker->underruns() << " underruns]\n";
  }
  return 0;
}

}  // namespace linea::cli
