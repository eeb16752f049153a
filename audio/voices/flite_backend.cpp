#include "audio/voices/flite_backend.h"

#include "audio/text/utf8_reader.h"

extern "C" {
#include <flite.h>

// Each voice library exports these two; Debian ships no header declaring them.
cst_voice* register_cmu_us_kal(const char* voxdir);
void unregister_cmu_us_kal(cst_voice* voice);
cst_voice* register_cmu_us_kal16(const char* voxdir);
void unregister_cmu_us_kal16(cst_voice* voice);
cst_voice* register_cmu_us_slt(const char* voxdir);
void unregister_cmu_us_slt(cst_voice* voice);
cst_voice* register_cmu_us_awb(const char* voxdir);
void unregister_cmu_us_awb(cst_voice* voice);
cst_voice* register_cmu_us_rms(const char* voxdir);
void unregister_cmu_us_rms(cst_voice* voice);
}

#include <algorithm>
#include <cmath>
#include <exception>
#include <mutex>
#include <utility>

namespace linea::audio {
namespace {

struct FliteVoiceDeleter {
  void (*unregister)(cst_voice*) = nullptr;
  void operator()(cst_voice* voice) const {
    if (voice && unregister) unregister(voice);
  }
};
using FliteVoicePtr = std::unique_ptr<cst_voice, FliteVoiceDeleter>;

struct FliteWaveDeleter {
  void operator()(cst_wave* wave) const { delete_wave(wave); }
};

struct VoiceLibrary {
  const char* short_name;
  const char* description;
  const char* language;
  int sample_rate;
  cst_voice* (*register_voice)(const char*);
  void (*unregister_voice)(cst_voice*);
};

// slt first: the default English voice.
constexpr VoiceLibrary kLibraries[] = {
    {"slt", "slt (US English, female)", "en-US", 16000, register_cmu_us_slt, unregister_cmu_us_slt},
    {"rms", "rms (US English, male)", "en-US", 16000, register_cmu_us_rms, unregister_cmu_us_rms},
    {"awb", "awb (Scottish English, male)", "en-GB", 16000, register_cmu_us_awb, unregister_cmu_us_awb},
    {"kal16", "kal16 (US English, male, diphone)", "en-US", 16000, register_cmu_us_kal16, unregister_cmu_us_kal16},
    {"kal", "kal (US English, male, diphone, 8 kHz)", "en-US", 8000, register_cmu_us_kal, unregister_cmu_us_kal},
};

// flite reads ASCII; typographic punctuation from a model's reply would be spelled out or dropped.
std::string fold_to_ascii(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  Utf8Reader reader(text);
  while (!reader.at_end()) {
    const std::size_t start = reader.position();
    const char32_t c = reader.next();
    switch (c) {
      case U'‘':
      case U'’':
      case U'‚': out.push_back('\''); break;
      case U'“':
      case U'”':
      case U'„':
      case U'«':
      case U'»': out.push_back('"'); break;
      case U'–':
      case U'—': out.append(", "); break;
      case U'…': out.append("..."); break;
      case 0xA0: out.push_back(' '); break;
      default: out.append(text.substr(start, reader.position() - start));
    }
  }
  return out;
}

// What one synthesis call shares with the C streaming callback.
struct StreamCall {
  const PcmChunkSink* sink = nullptr;
  int expected_rate = 0;
  std::vector<float> chunk;
  bool stopped = false;
  std::string error;
  std::exception_ptr exception;
};

int on_flite_chunk(const cst_wave* wave, int start, int size, int /*last*/, cst_audio_streaming_info* info) {
  auto* call = static_cast<StreamCall*>(info->userdata);
  if (wave->sample_rate != call->expected_rate) {
    call->error = "flite produced " + std::to_string(wave->sample_rate) + " Hz, expected " +
                  std::to_string(call->expected_rate) + " Hz";
    return CST_AUDIO_STREAM_STOP;
  }
  call->chunk.resize(static_cast<std::size_t>(size));
  for (int i = 0; i < size; ++i) call->chunk[static_cast<std::size_t>(i)] = wave->samples[start + i] / 32768.0f;
  try {  // no exception may unwind through flite's C frames
    if (!(*call->sink)(call->chunk)) {
      call->stopped = true;
      return CST_AUDIO_STREAM_STOP;
    }
  } catch (...) {
    call->exception = std::current_exception();
    return CST_AUDIO_STREAM_STOP;
  }
  return CST_AUDIO_STREAM_CONT;
}

// Attaches the streaming callback to a voice for one call and takes it off again (the feature value
// owns the cst_audio_streaming_info; removing the feature frees it).
class StreamingAttachment {
 public:
  StreamingAttachment(cst_voice* voice, StreamCall& call) : voice_(voice) {
    cst_audio_streaming_info* info = new_audio_streaming_info();
    info->min_buffsize = call.expected_rate / 50;  // 20 ms chunks
    info->asc = on_flite_chunk;
    info->userdata = &call;
    feat_set(voice_->features, "streaming_info", audio_streaming_info_val(info));
  }
  ~StreamingAttachment() { feat_remove(voice_->features, "streaming_info"); }
  StreamingAttachment(const StreamingAttachment&) = delete;
  StreamingAttachment& operator=(const StreamingAttachment&) = delete;

 private:
  cst_voice* voice_;
};

}  // namespace

// flite's register_* functions hand out one global voice object per library, so every FliteBackend
// in the process shares one set; the last one to go unregisters them.
struct FliteBackend::RegisteredVoices {
  std::mutex synthesis;  // voice features are changed per call
  std::vector<std::pair<const VoiceLibrary*, FliteVoicePtr>> voices;
};

namespace {

std::shared_ptr<FliteBackend::RegisteredVoices> shared_registered_voices() {
  static std::mutex mutex;
  static std::weak_ptr<FliteBackend::RegisteredVoices> shared;
  std::lock_guard lock(mutex);
  if (auto existing = shared.lock()) return existing;
  flite_init();
  auto registered = std::make_shared<FliteBackend::RegisteredVoices>();
  for (const VoiceLibrary& library : kLibraries) {
    FliteVoicePtr voice(library.register_voice(nullptr), FliteVoiceDeleter{library.unregister_voice});
    if (!voice) throw VoiceError(std::string("flite could not register its voice ") + library.short_name);
    registered->voices.emplace_back(&library, std::move(voice));
  }
  shared = registered;
  return registered;
}

}  // namespace

FliteBackend::FliteBackend() : registered_(shared_registered_voices()) {
  for (const auto& [library, voice] : registered_->voices) {
    voices_.push_back({std::string("flite:") + library->short_name, "flite", library->description, library->language,
                       library->sample_rate});
  }
}

FliteBackend::~FliteBackend() = default;

bool FliteBackend::synthesize(const VoiceInfo& voice, std::string_view text, const SynthesisOptions& options,
                              const PcmChunkSink& sink) {
  cst_voice* flite_voice = nullptr;
  const VoiceLibrary* library = nullptr;
  for (const auto& [candidate, registered] : registered_->voices) {
    if (voice.id == std::string("flite:") + candidate->short_name) {
      flite_voice = registered.get();
      library = candidate;
    }
  }
  if (flite_voice == nullptr) throw VoiceError("flite has no voice '" + voice.id + "'");

  std::lock_guard lock(registered_->synthesis);
  // duration_stretch scales every segment's duration: 0.5 speaks twice as fast.
  const double rate = std::clamp(options.rate, kMinimumRate, kMaximumRate);
  feat_set_float(flite_voice->features, "duration_stretch", static_cast<float>(1.0 / rate));
  StreamCall call;
  call.sink = &sink;
  call.expected_rate = library->sample_rate;
  {
    StreamingAttachment attachment(flite_voice, call);
    const std::string ascii = fold_to_ascii(text);
    std::unique_ptr<cst_wave, FliteWaveDeleter> wave(flite_text_to_wave(ascii.c_str(), flite_voice));
    if (!wave && !call.stopped && call.error.empty() && !call.exception)
      throw VoiceError("flite (" + voice.id + ") failed to synthesise the text");
  }
  if (call.exception) std::rethrow_exception(call.exception);
  if (!call.error.empty()) throw VoiceError(call.error);
  return !call.stopped;
}

}  // namespace linea::audio
