#include "audio/voices/espeak_backend.h"

#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <mutex>
#include <set>

namespace linea::audio {
namespace {

constexpr int kCallbackMilliseconds = 50;  // how much audio espeak-ng hands over per callback
constexpr int kNormalWordsPerMinute = 175;
constexpr int kSlowestWordsPerMinute = 80;
constexpr int kFastestWordsPerMinute = 450;

// The synthesis in progress; set while the engine mutex is held, read by the global callback.
struct EspeakCall {
  const PcmChunkSink* sink = nullptr;
  std::vector<float> chunk;
  bool stopped = false;
  std::exception_ptr exception;
};
EspeakCall* active_call = nullptr;

int on_espeak_samples(short* samples, int count, espeak_EVENT* /*events*/) {
  EspeakCall* call = active_call;
  if (call == nullptr || samples == nullptr || count <= 0) return 0;
  call->chunk.resize(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) call->chunk[static_cast<std::size_t>(i)] = samples[i] / 32768.0f;
  try {  // no exception may unwind through espeak-ng's C frames
    if (!(*call->sink)(call->chunk)) {
      call->stopped = true;
      return 1;  // abort the synthesis
    }
  } catch (...) {
    call->exception = std::current_exception();
    return 1;
  }
  return 0;
}

struct EspeakEngine {
  std::mutex mutex;
  int sample_rate = 0;
  std::string error;
  std::vector<VoiceInfo> voices;
};

EspeakEngine& engine() {
  // Deliberately never destroyed (see the header): espeak-ng stays initialised until the process ends.
  static EspeakEngine* const instance = [] {
    auto* created = new EspeakEngine;
    // DONT_EXIT: without it espeak-ng calls exit() when its data is missing.
    const int rate =
        espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, kCallbackMilliseconds, nullptr, espeakINITIALIZE_DONT_EXIT);
    if (rate <= 0) {
      created->error = "espeak-ng could not initialise (is espeak-ng-data installed?)";
      return created;
    }
    created->sample_rate = rate;
    espeak_SetSynthCallback(on_espeak_samples);
    std::set<std::string> ids;
    for (const espeak_VOICE* const* voice = espeak_ListVoices(nullptr); voice && *voice; ++voice) {
      // `languages` is a list of (priority byte, NUL-terminated code); the first is the main one.
      const char* languages = (*voice)->languages;
      const std::string language = languages && languages[0] ? languages + 1 : "";
      std::string id = "espeak-ng:" + language;
      if (language.empty() || !ids.insert(id).second) {
        id = std::string("espeak-ng:") + (*voice)->identifier;
        if (!ids.insert(id).second) continue;
      }
      created->voices.push_back({id, "espeak-ng", (*voice)->name, language, rate});
    }
    return created;
  }();
  return *instance;
}

}  // namespace

EspeakBackend::EspeakBackend() {
  EspeakEngine& espeak = engine();
  std::lock_guard lock(espeak.mutex);
  if (!espeak.error.empty()) throw VoiceError(espeak.error);
  voices_ = espeak.voices;
}

bool EspeakBackend::synthesize(const VoiceInfo& voice, std::string_view text, const SynthesisOptions& options,
                               const PcmChunkSink& sink) {
  if (voice.backend != "espeak-ng") throw VoiceError("espeak-ng has no voice '" + voice.id + "'");
  EspeakEngine& espeak = engine();
  std::lock_guard lock(espeak.mutex);
  if (espeak_SetVoiceByName(voice.name.c_str()) != EE_OK)
    throw VoiceError("espeak-ng could not load the voice '" + voice.name + "' (" + voice.id + ")");
  const int words_per_minute = std::clamp(static_cast<int>(std::lround(kNormalWordsPerMinute * options.rate)),
                                          kSlowestWordsPerMinute, kFastestWordsPerMinute);
  espeak_SetParameter(espeakRATE, words_per_minute, 0);

  EspeakCall call;
  call.sink = &sink;
  active_call = &call;
  const std::string terminated(text);  // espeak-ng wants a NUL-terminated buffer and its size
  // Synchronous mode: espeak_Synth returns when all audio went through the callback. (Do not call
  // espeak_Synchronize in this mode: it waits forever in espeak-ng 1.51.)
  const espeak_ERROR result =
      espeak_Synth(terminated.c_str(), terminated.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, nullptr);
  active_call = nullptr;
  if (call.exception) std::rethrow_exception(call.exception);
  if (result != EE_OK && !call.stopped)
    throw VoiceError("espeak-ng failed to synthesise with " + voice.id + " (error " + std::to_string(result) + ")");
  return !call.stopped;
}

}  // namespace linea::audio
