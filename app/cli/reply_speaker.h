// Reads chat replies aloud for `linea-cli chat --speak`: every piece of a reply that is printed also
// goes into a SpeechQueue, so sentence N plays while the model writes sentence N+1. Replies queue
// up behind each other; wait_until_done() lets the last one play out before the program exits.
#pragma once

#include "audio/playback/speech_queue.h"

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

namespace linea::cli {

struct ReplySpeakerOptions {
  std::string voice = "auto";  // a voice query (see SpeechSynthesizer::voice) or "auto"
  double rate = 1.0;
  std::string device;            // "" = the default output device
  double buffer_seconds = 0.05;  // audio queued before a sentence starts playing
};

class ReplySpeaker {
 public:
  // Loads the voices and opens the output. Returns nullptr after saying on `err` that the replies
  // will be text only when there is no audio output device. Throws VoiceError for an unknown
  // voice or a bad rate.
  static std::unique_ptr<ReplySpeaker> open(const ReplySpeakerOptions& options, std::ostream& err);
  ~ReplySpeaker();

  void add(std::string_view piece);
  void finish_reply();
  void wait_until_done();
  // Seconds of speech handed to the device so far, and how often it ran dry mid-sentence.
  double seconds_played() const;
  std::uint64_t underruns() const;

 private:
  ReplySpeaker() = default;

  std::unique_ptr<audio::SpeechSynthesizer> synthesizer_;
  std::unique_ptr<audio::AudioOutput> output_;
  std::unique_ptr<audio::SpeechQueue> queue_;  // last: uses the other two
};

}  // namespace linea::cli
