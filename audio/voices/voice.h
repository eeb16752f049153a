// The voice interface: text in, mono float PCM at the voice's sample rate out, chunk by chunk as it
// is synthesised. flite and espeak-ng implement it today; a neural voice is one more VoiceBackend
// with the same calls.
//
// Threading: backends are NOT thread-safe (espeak-ng and flite keep global state). Only the audio
// worker thread owned by SpeechSynthesizer calls them; applications use SpeechSynthesizer.
#pragma once

#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace linea::audio {

class VoiceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct VoiceInfo {
  std::string id;        // unique, "<backend>:<name>": "flite:slt", "espeak-ng:de"
  std::string backend;   // "flite", "espeak-ng"
  std::string name;      // for people: "slt (US English, female)", "German"
  std::string language;  // BCP 47 style code: "en-US", "de", "cmn"
  int sample_rate = 0;   // of the PCM the voice produces
};

struct SynthesisOptions {
  // Speaking rate relative to the voice's normal rate: 2 is twice as fast. Valid range
  // [kMinimumRate, kMaximumRate]; a backend whose range is narrower clamps to its own.
  double rate = 1.0;
};

inline constexpr double kMinimumRate = 0.25;
inline constexpr double kMaximumRate = 4.0;

// Receives each chunk of samples as it is synthesised; returns false to stop the synthesis.
using PcmChunkSink = std::function<bool(std::span<const float> samples)>;

class VoiceBackend {
 public:
  virtual ~VoiceBackend() = default;

  virtual std::string_view name() const = 0;
  virtual const std::vector<VoiceInfo>& voices() const = 0;

  // Synthesises UTF-8 `text` with `voice` (one of voices()), passing the PCM to `sink` in order.
  // Returns false when the sink stopped it. Throws VoiceError when the backend fails.
  virtual bool synthesize(const VoiceInfo& voice, std::string_view text, const SynthesisOptions& options,
                          const PcmChunkSink& sink) = 0;
};

}  // namespace linea::audio
