#include "app/cli/speak_command.h"

#include "app/cli/argument_parser.h"
#include "audio/export/speech_export.h"
#include "audio/playback/speech_queue.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace linea::cli {
namespace {

void list_voices(const audio::SpeechSynthesizer& synthesizer, std::ostream& out) {
  for (const audio::VoiceInfo& voice : synthesizer.voices()) {
    out << voice.id << '\t' << voice.language << '\t' << voice.sample_rate << " Hz\t" << voice.name << '\n';
  }
  out << synthesizer.voices().size() << " voices; default: English "
      << synthesizer.default_voice(audio::SpeechLanguage::english).id << ", German "
      << synthesizer.default_voice(audio::SpeechLanguage::german).id << ", Chinese "
      << synthesizer.default_voice(audio::SpeechLanguage::chinese).id << '\n';
}

int list_devices(std::ostream& out, std::ostream& err) {
  audio::PortAudioLibrary library;
  const std::vector<audio::OutputDevice> devices = library.output_devices();
  if (devices.empty()) {
    err << "linea-cli speak: no audio output device\n";
    return 1;
  }
  for (const audio::OutputDevice& device : devices) {
    out << device.index << '\t' << device.name << '\t' << device.host_api << '\t' << device.default_sample_rate << " Hz"
        << (device.is_default ? "\t(default)" : "") << '\n';
  }
  return 0;
}

}  // namespace

int run_speak(CommandContext& context) {
  ArgumentParser parser("linea-cli speak", "Read text aloud, or write it to an audio file.");
  parser.add_positional("TEXT", "the text (Markdown is fine); - reads it from stdin", /*required=*/false);
  parser.add_option({"--voice"}, "V",
                    "a voice id (flite:slt), name (slt, German) or language (en, de, zh); "
                    "auto picks each sentence's language's voice",
                    "auto");
  parser.add_option({"--rate"}, "R", "speaking rate, 1 is normal, 2 twice as fast (0.25..4)", "1");
  parser.add_option({"-o", "--out"}, "FILE", "write FILE (.wav, .opus, .ogg, .mp3) instead of playing");
  parser.add_option({"--device"}, "D", "output device: index or name (see --list-devices)");
  parser.add_flag({"--list-voices"}, "list the voices with their language and sample rate");
  parser.add_flag({"--list-devices"}, "list the audio output devices");
  parser.add_flag({"-h", "--help"}, "show this help");
  if (!parser.parse_or_help(context.arguments, context.out)) return 0;
  if (parser.has("--list-devices")) return list_devices(context.out, context.err);

  const double rate = parser.number("--rate");
  if (!(rate >= audio::kMinimumRate && rate <= audio::kMaximumRate))
    throw UsageError("--rate " + parser.value("--rate") + " is outside 0.25..4");
  const std::string voice = parser.value("--voice");

  audio::SpeechSynthesizer synthesizer;
  for (const std::string& problem : synthesizer.backend_errors())
    context.err << "linea-cli speak: warning: " << problem << '\n';
  if (parser.has("--list-voices")) {
    list_voices(synthesizer, context.out);
    return 0;
  }
  if (voice != "auto") synthesizer.voice(voice);  // an unknown voice fails before anything else

  std::optional<std::string> text = parser.positional("TEXT");
  if (!text) throw UsageError("missing argument TEXT (or --list-voices, --list-devices)");
  if (*text == "-") text = std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());

  if (const auto out = parser.optional_value("--out")) {
    audio::SpeechExportOptions options;
    options.voice = voice;
    options.rate = rate;
    const std::vector<std::string> messages = {*text};
    const audio::SpeechExportSummary summary = audio::export_speech(synthesizer, messages, *out, options);
    context.out << "wrote " << *out << ": " << summary.sentences << " sentences, " << summary.duration_seconds
                << " s\n";
    return 0;
  }

  audio::OutputConfig output_config;
  output_config.device = parser.optional_value("--device").value_or("");
  std::unique_ptr<audio::AudioOutput> output;
  try {
    output = std::make_unique<audio::AudioOutput>(output_config);
  } catch (const audio::AudioDeviceError& error) {
    throw audio::AudioDeviceError(std::string(error.what()) + " (--out FILE writes the speech to a file instead)");
  }
  audio::SpeechQueueOptions options;
  options.voice = voice;
  options.rate = rate;
  audio::SpeechQueue queue(synthesizer, *output, options);
  queue.push_text_piece(*text);
  queue.finish();
  queue.wait_until_done(std::chrono::hours(24));
  const audio::SpeechQueueStats stats = queue.stats();
  if (stats.synthesis_errors > 0) {
    context.err << "linea-cli speak: " << stats.synthesis_errors << " sentence(s) could not be synthesised\n";
    return 1;
  }
  return 0;
}

}  // namespace linea::cli
