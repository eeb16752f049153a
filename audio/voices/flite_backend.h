// The flite voices Debian's flite1-dev ships for US/Scottish English: kal and kal16 (diphone), slt,
// awb and rms (clustergen, 16 kHz). slt is the most natural of them and Linea's English default.
#pragma once

#include "audio/voices/voice.h"

#include <memory>

namespace linea::audio {

class FliteBackend final : public VoiceBackend {
 public:
  FliteBackend();  // registers the voices (shared process-wide: flite keeps them in globals)
  ~FliteBackend() override;

  std::string_view name() const override { return "flite"; }
  const std::vector<VoiceInfo>& voices() const override { return voices_; }
  bool synthesize(const VoiceInfo& voice, std::string_view text, const SynthesisOptions& options,
                  const PcmChunkSink& sink) override;

  struct RegisteredVoices;

 private:
  std::shared_ptr<RegisteredVoices> registered_;
  std::vector<VoiceInfo> voices_;
};

}  // namespace linea::audio
