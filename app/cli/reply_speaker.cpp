#include "app/cli/reply_speaker.h"

#include <algorithm>
#include <chrono>
#include <ostream>

namespace linea::cli {

std::unique_ptr<ReplySpeaker> ReplySpeaker::open(const ReplySpeakerOptions& options, std::ostream& err) {
  std::unique_ptr<ReplySpeaker> speaker(new ReplySpeaker);
  speaker->synthesizer_ = std::make_unique<audio::SpeechSynthesizer>();
  for (const std::string& problem : speaker->synthesizer_->backend_errors())
    err << "linea-cli chat: warning: " << problem << '\n';
  if (options.voice != "auto") speaker->synthesizer_->voice(options.voice);  // an unknown voice fails here
  audio::OutputConfig config;
  config.device = options.device;
  config.prebuffer_seconds = options.buffer_seconds;
  config.ring_seconds = std::max(config.ring_seconds, 2 * options.buffer_seconds);
  try {
    speaker->output_ = std::make_unique<audio::AudioOutput>(config);
  } catch (const audio::AudioDeviceError& error) {
    if (!options.device.empty()) throw;  // a device asked for by name is an error, not a fallback
    err << "linea-cli chat: " << error.what() << "; the replies are shown as text only\n";
    return nullptr;
  }
  speaker->queue_ = std::make_unique<audio::SpeechQueue>(*speaker->synthesizer_, *speaker->output_,
                                                         audio::SpeechQueueOptions{options.voice, options.rate});
  return speaker;
}

ReplySpeaker::~ReplySpeaker() = default;

void ReplySpeaker::add(std::string_view piece) { queue_->push_text_piece(piece); }

void ReplySpeaker::finish_reply() { queue_->finish(); }

void ReplySpeaker::wait_until_done() {
  queue_->finish();
  queue_->wait_until_done(std::chrono::hours(24));
}

double ReplySpeaker::seconds_played() const {
  return static_cast<double>(output_->counters().samples_played) / output_->sample_rate();
}

std::uint64_t ReplySpeaker::underruns() const { return output_->counters().underruns; }

}  // namespace linea::cli
