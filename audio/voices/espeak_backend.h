// espeak-ng: every language and voice espeak-ng-data ships (over a hundred), 22050 Hz. Linea uses
// it for every language flite does not speak.
//
// espeak-ng keeps all its state in globals and its callback is global. It is initialised once per
// process, on first use, in synchronous mode, and never terminated: espeak-ng 1.51 hangs in
// espeak_Terminate once it has been initialised a second time, so re-initialising per backend is
// not an option. Calls are serialised by a process-wide mutex; SpeechSynthesizer's single worker
// thread is the intended caller.
#pragma once

#include "audio/voices/voice.h"

namespace linea::audio {

class EspeakBackend final : public VoiceBackend {
 public:
  EspeakBackend();  // throws VoiceError when espeak-ng cannot load its data

  std::string_view name() const override { return "espeak-ng"; }
  const std::vector<VoiceInfo>& voices() const override { return voices_; }
  bool synthesize(const VoiceInfo& voice, std::string_view text, const SynthesisOptions& options,
                  const PcmChunkSink& sink) override;

 private:
  std::vector<VoiceInfo> voices_;
};

}  // namespace linea::audio
