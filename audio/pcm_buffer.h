// Mono float PCM (-1..1) at a stated sample rate: what voices produce, playback plays and export encodes.
#pragma once

#include <vector>

namespace linea::audio {

struct PcmBuffer {
  std::vector<float> samples;
  int sample_rate = 0;

  double duration_seconds() const { return sample_rate > 0 ? static_cast<double>(samples.size()) / sample_rate : 0.0; }
};

}  // namespace linea::audio
