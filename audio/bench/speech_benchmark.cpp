// linea-speech-bench: time to first audio and synthesis speed per voice (numbers for reports, not
// tests).
//
//   time to first audio: a reply is streamed into a SpeechQueue token by token (as a model would,
//     one token every --token-ms); measured from the moment its first sentence is complete (the
//     text stream emits it) to the first sample the PortAudio callback hands to the device.
//   synthesis speed: seconds of audio per second of synthesis, whole paragraph, and the time until
//     the first chunk of PCM of a sentence comes out of the voice.
//
// --alsa-file-sink points ALSA's default device at its file plugin over the null PCM (for machines
// without a sound card). That device consumes audio as fast as it is written, so it measures the
// software path up to PortAudio, without a real device's buffering.
#include "audio/playback/speech_queue.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace linea::audio;
using Clock = std::chrono::steady_clock;

namespace {

struct Sample {
  std::string voice;
  std::string first_sentence_language;
  std::string reply;
};

const char* const kEnglishReply =
    "Sure, here is a short answer. Linear attention keeps a fixed-size state, so memory does not grow with the "
    "context. That makes very long documents practical on a desktop.";
const char* const kGermanReply =
    "Gern, hier ist eine kurze Antwort. Lineare Aufmerksamkeit hat einen Zustand fester Größe. Dadurch bleibt der "
    "Speicher auch bei langen Texten konstant.";
const char* const kChineseReply =
    "好的，这是一个简短的回答。线性注意力的状态大小是固定的。因此长文档也能在桌面电脑上处理。";

const char* reply_for(const VoiceInfo& voice) {
  const SpeechLanguage language = language_from_code(voice.language);
  if (language == SpeechLanguage::german) return kGermanReply;
  if (language == SpeechLanguage::chinese) return kChineseReply;
  return kEnglishReply;
}

// Splits like a BPE tokenizer roughly would: a word (with its leading space) or one CJK character.
std::vector<std::string> tokens_of(const std::string& text) {
  std::vector<std::string> tokens;
  std::string current;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    const std::string character = text.substr(i, length);
    i += length;
    if (length == 3) {  // CJK: a token each
      if (!current.empty()) tokens.push_back(current);
      tokens.push_back(character);
      current.clear();
    } else if (character == " " && !current.empty()) {
      tokens.push_back(current);
      current = character;
    } else {
      current += character;
    }
  }
  if (!current.empty()) tokens.push_back(current);
  return tokens;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0 : values[values.size() / 2];
}

std::string setup_alsa_file_sink() {
  const std::filesystem::path home =
      std::filesystem::temp_directory_path() / ("linea-speech-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(home);
  std::ofstream(home / ".asoundrc")
      << "pcm.!default { type plug slave { pcm { type file slave.pcm \"null\" file \"/dev/null\" "
         "format \"raw\" } format S16_LE } }\n";
  setenv("HOME", home.c_str(), 1);
  setenv("XDG_CONFIG_HOME", home.c_str(), 1);
  unsetenv("ALSA_CONFIG_PATH");
  return home.string();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> voices = {"flite:slt", "flite:rms",       "flite:awb",    "flite:kal16",
                                     "flite:kal", "espeak-ng:en-us", "espeak-ng:de", "espeak-ng:cmn"};
  int runs = 5;
  int token_ms = 30;
  std::string device;
  bool file_sink = false;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    const auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (argument == "--voices") {
      voices.clear();
      std::stringstream list(next());
      for (std::string voice; std::getline(list, voice, ',');) voices.push_back(voice);
    } else if (argument == "--runs") {
      runs = std::max(1, std::atoi(next().c_str()));
    } else if (argument == "--token-ms") {
      token_ms = std::max(0, std::atoi(next().c_str()));
    } else if (argument == "--device") {
      device = next();
    } else if (argument == "--alsa-file-sink") {
      file_sink = true;
    } else {
      std::cerr << "usage: linea-speech-bench [--voices id,id,...] [--runs N] [--token-ms MS] [--device D] "
                   "[--alsa-file-sink]\n";
      return 2;
    }
  }
  struct RemoveOnExit {
    std::string path;
    ~RemoveOnExit() {
      std::error_code ignored;
      if (!path.empty()) std::filesystem::remove_all(path, ignored);
    }
  } sink_home;
  if (file_sink) {
    sink_home.path = setup_alsa_file_sink();
    std::cout << "ALSA default device: file plugin over null (no real-time pacing), HOME=" << sink_home.path << "\n";
  }

  SpeechSynthesizer synthesizer;
  OutputConfig config;
  config.device = device;
  AudioOutput output(config);
  std::cout << "device: " << output.device().name << " at " << output.sample_rate() << " Hz, latency "
            << output.latency_seconds() * 1000 << " ms; prebuffer " << OutputConfig{}.prebuffer_seconds * 1000
            << " ms; " << runs << " runs; a token every " << token_ms << " ms\n\n";
  std::printf("%-18s %10s %10s %10s %12s %12s %14s\n", "voice", "TTFA med", "TTFA min", "TTFA max", "speed (xRT)",
              "first chunk", "audio/run (s)");

  for (const std::string& voice_id : voices) {
    const VoiceInfo& voice = synthesizer.voice(voice_id);
    const std::string reply = reply_for(voice);

    // Synthesis speed over the whole reply's sentences, and the first PCM chunk of the first one.
    const std::vector<SpeechSentence> sentences =
        prepare_speech(reply, SpeechTextOptions{language_from_code(voice.language), {}});
    synthesizer.synthesize(voice.id, "Warm up.").get();
    std::vector<double> speeds, first_chunks;
    double audio_seconds = 0;
    for (int run = 0; run < runs; ++run) {
      double audio = 0;
      const auto start = Clock::now();
      for (const SpeechSentence& sentence : sentences)
        audio += synthesizer.synthesize(voice.id, sentence.text).get().duration_seconds();
      speeds.push_back(audio / std::chrono::duration<double>(Clock::now() - start).count());
      audio_seconds = audio;
      Clock::time_point first_chunk{};
      const auto chunk_start = Clock::now();
      synthesizer
          .synthesize_streaming(voice.id, sentences.front().text, {},
                                [&](std::span<const float>) {
                                  if (first_chunk == Clock::time_point{}) first_chunk = Clock::now();
                                  return true;
                                })
          .get();
      first_chunks.push_back(std::chrono::duration<double, std::milli>(first_chunk - chunk_start).count());
    }

    // Time to first audio through the whole streaming path.
    std::vector<double> latencies;
    for (int run = 0; run < runs; ++run) {
      SpeechQueueOptions options;
      options.voice = voice.id;
      SpeechQueue queue(synthesizer, output, options);
      for (const std::string& token : tokens_of(reply)) {
        queue.push_text_piece(token);
        if (queue.stats().first_audio_latency) break;  // measured; the rest would only be spoken
        std::this_thread::sleep_for(std::chrono::milliseconds(token_ms));
      }
      for (int i = 0; i < 5000 && !queue.stats().first_audio_latency; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      const auto latency = queue.stats().first_audio_latency;
      queue.stop();
      if (latency) latencies.push_back(std::chrono::duration<double, std::milli>(*latency).count());
    }
    if (latencies.empty()) {
      std::printf("%-18s no audio reached the device\n", voice.id.c_str());
      continue;
    }
    std::printf("%-18s %8.1f ms %7.1f ms %7.1f ms %11.1fx %9.1f ms %14.2f\n", voice.id.c_str(), median(latencies),
                *std::min_element(latencies.begin(), latencies.end()),
                *std::max_element(latencies.begin(), latencies.end()), median(speeds), median(first_chunks),
                audio_seconds);
  }
  return 0;
}
