// Text to speech for applications: the voices of every backend (flite, espeak-ng; neural ones later)
// behind one set of calls, all synthesis on one audio worker thread.
//
//   SpeechSynthesizer synthesizer;                          // loads the voices on its worker
//   const VoiceInfo& voice = synthesizer.voice("slt");      // or "flite:slt", "de", "German"
//   PcmBuffer pcm = synthesizer.synthesize(voice.id, "Hello there.").get();
//
// Thread-safety: every public member function may be called from any thread; voices() and the
// lookups read data fixed at construction. Synthesis jobs run one at a time in submission order;
// a streaming job's sink is called on the worker thread. Destroy the synthesizer from another
// thread than its worker; jobs not yet started are dropped (their futures hold broken_promise).
#pragma once

#include "audio/pcm_buffer.h"
#include "audio/text/speech_language.h"
#include "audio/voices/audio_worker.h"
#include "audio/voices/voice.h"

#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace linea::audio {

class SpeechSynthesizer {
 public:
  SpeechSynthesizer();  // a backend that fails to load is reported in backend_errors(), not thrown
  ~SpeechSynthesizer();
  SpeechSynthesizer(const SpeechSynthesizer&) = delete;
  SpeechSynthesizer& operator=(const SpeechSynthesizer&) = delete;

  const std::vector<VoiceInfo>& voices() const { return voices_; }
  const std::vector<std::string>& backend_errors() const { return backend_errors_; }

  // By id ("flite:slt"), by the id's name part ("slt", "de", "en-us"), by display name ("German"),
  // by a language Linea knows ("en", "de", "zh": that language's default voice), or by any other
  // language ("fr": a French voice, France's first). Throws
  // VoiceError naming the query when nothing matches.
  const VoiceInfo& voice(std::string_view query) const;

  // English: flite slt; German: espeak-ng de; Chinese: espeak-ng cmn; other languages: English.
  const VoiceInfo& default_voice(SpeechLanguage language) const;

  // The whole text to one buffer at the voice's sample rate. Throws VoiceError (before queuing)
  // for an unknown voice or a rate outside [kMinimumRate, kMaximumRate].
  std::future<PcmBuffer> synthesize(std::string voice_query, std::string text, SynthesisOptions options = {});

  // Streams PCM to `sink` on the worker thread as it is produced; the future holds false when the
  // sink stopped the synthesis. `on_finished`, when given, runs on the worker right after the
  // synthesis ends, with the error it threw (or nullptr).
  std::future<bool> synthesize_streaming(std::string voice_query, std::string text, SynthesisOptions options,
                                         PcmChunkSink sink, std::function<void(std::exception_ptr)> on_finished = {});

 private:
  VoiceBackend& backend_for(const VoiceInfo& voice) const;
  static void check_rate(double rate);

  std::vector<std::unique_ptr<VoiceBackend>> backends_;
  std::vector<VoiceInfo> voices_;
  std::vector<std::string> backend_errors_;
  AudioWorker worker_;  // last: joined first on destruction, while the backends still exist
};

}  // namespace linea::audio
