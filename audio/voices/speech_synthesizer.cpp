#include "audio/voices/speech_synthesizer.h"

#include "audio/voices/espeak_backend.h"
#include "audio/voices/flite_backend.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace linea::audio {
namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

SpeechSynthesizer::SpeechSynthesizer() {
  // Backends are created on the worker thread: it is the only thread that ever calls into them.
  auto loaded = worker_.submit([this] {
    const auto load = [this](auto make) {
      try {
        backends_.push_back(make());
      } catch (const std::exception& error) {
        backend_errors_.push_back(error.what());
      }
    };
    load([] { return std::make_unique<FliteBackend>(); });
    load([] { return std::make_unique<EspeakBackend>(); });
  });
  loaded.get();
  for (const auto& backend : backends_)
    voices_.insert(voices_.end(), backend->voices().begin(), backend->voices().end());
}

SpeechSynthesizer::~SpeechSynthesizer() = default;

const VoiceInfo& SpeechSynthesizer::voice(std::string_view query) const {
  for (const VoiceInfo& candidate : voices_) {
    if (candidate.id == query) return candidate;
  }
  for (const VoiceInfo& candidate : voices_) {
    const std::string_view short_name = std::string_view(candidate.id).substr(candidate.id.find(':') + 1);
    if (equal_ignoring_case(short_name, query)) return candidate;
  }
  for (const VoiceInfo& candidate : voices_) {
    if (equal_ignoring_case(candidate.name, query)) return candidate;
  }
  const SpeechLanguage language = language_from_code(query);
  if (language != SpeechLanguage::other && language_code(language) == query) return default_voice(language);
  // A bare language ("fr") picks a voice of that language, its home variety first ("fr-fr").
  const VoiceInfo* by_language = nullptr;
  for (const VoiceInfo& candidate : voices_) {
    const std::string& code = candidate.language;
    if (!code.starts_with(std::string(query) + "-") || query.empty()) continue;
    if (equal_ignoring_case(std::string_view(code).substr(query.size() + 1), query)) return candidate;
    if (!by_language) by_language = &candidate;
  }
  if (by_language) return *by_language;
  if (voices_.empty())
    throw VoiceError("no voices are available: " +
                     (backend_errors_.empty() ? std::string("none loaded") : backend_errors_.front()));
  throw VoiceError("unknown voice '" + std::string(query) + "' (linea-cli speak --list-voices lists them)");
}

const VoiceInfo& SpeechSynthesizer::default_voice(SpeechLanguage language) const {
  const auto find = [this](std::string_view id) -> const VoiceInfo* {
    for (const VoiceInfo& candidate : voices_) {
      if (candidate.id == id) return &candidate;
    }
    return nullptr;
  };
  const VoiceInfo* chosen = nullptr;
  switch (language) {
    case SpeechLanguage::german: chosen = find("espeak-ng:de"); break;
    case SpeechLanguage::chinese: chosen = find("espeak-ng:cmn"); break;
    default: break;
  }
  if (!chosen) chosen = find("flite:slt");
  if (!chosen) chosen = find("espeak-ng:en-us");
  if (!chosen && !voices_.empty()) chosen = &voices_.front();
  if (!chosen) throw VoiceError("no voices are available");
  return *chosen;
}

VoiceBackend& SpeechSynthesizer::backend_for(const VoiceInfo& voice) const {
  for (const auto& backend : backends_) {
    if (backend->name() == voice.backend) return *backend;
  }
  throw VoiceError("no backend for voice '" + voice.id + "'");
}

void SpeechSynthesizer::check_rate(double rate) {
  if (!std::isfinite(rate) || rate < kMinimumRate || rate > kMaximumRate)
    throw VoiceError("speaking rate " + std::to_string(rate) + " is outside " + std::to_string(kMinimumRate) + ".." +
                     std::to_string(kMaximumRate));
}

std::future<PcmBuffer> SpeechSynthesizer::synthesize(std::string voice_query, std::string text,
                                                     SynthesisOptions options) {
  check_rate(options.rate);
  const VoiceInfo& chosen = voice(voice_query);
  VoiceBackend& backend = backend_for(chosen);
  return worker_.submit([&backend, &chosen, text = std::move(text), options] {
    PcmBuffer pcm;
    pcm.sample_rate = chosen.sample_rate;
    backend.synthesize(chosen, text, options, [&pcm](std::span<const float> chunk) {
      pcm.samples.insert(pcm.samples.end(), chunk.begin(), chunk.end());
      return true;
    });
    return pcm;
  });
}

std::future<bool> SpeechSynthesizer::synthesize_streaming(std::string voice_query, std::string text,
                                                          SynthesisOptions options, PcmChunkSink sink,
                                                          std::function<void(std::exception_ptr)> on_finished) {
  check_rate(options.rate);
  const VoiceInfo& chosen = voice(voice_query);
  VoiceBackend& backend = backend_for(chosen);
  return worker_.submit([&backend, &chosen, text = std::move(text), options, sink = std::move(sink),
                         on_finished = std::move(on_finished)] {
    bool completed = false;
    try {
      completed = backend.synthesize(chosen, text, options, sink);
    } catch (...) {
      if (on_finished) on_finished(std::current_exception());
      throw;
    }
    if (on_finished) on_finished(nullptr);
    return completed;
  });
}

}  // namespace linea::audio
