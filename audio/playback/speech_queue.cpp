#include "audio/playback/speech_queue.h"

#include "engine/core/log.h"

#include <cmath>

namespace linea::audio {
namespace {

constexpr auto kStopAcknowledgeTimeout = std::chrono::seconds(2);

std::string describe(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& exception) {
    return exception.what();
  } catch (...) {
    return "unknown error";
  }
}

}  // namespace

SpeechQueue::SpeechQueue(SpeechSynthesizer& synthesizer, AudioOutput& output, SpeechQueueOptions options)
    : synthesizer_(synthesizer), output_(output), options_(std::move(options)) {
  if (!std::isfinite(options_.rate) || options_.rate < kMinimumRate || options_.rate > kMaximumRate)
    throw VoiceError("speaking rate " + std::to_string(options_.rate) + " is outside " + std::to_string(kMinimumRate) +
                     ".." + std::to_string(kMaximumRate));
  SpeechTextOptions text_options;
  if (options_.voice != "auto") {
    const VoiceInfo& voice = synthesizer_.voice(options_.voice);
    fixed_voice_ = voice.id;
    text_options.language = language_from_code(voice.language);  // numbers etc. read in the voice's language
  }
  text_ = SpeechTextStream(text_options);
  feeder_ = std::thread([this] { feed(); });
}

SpeechQueue::~SpeechQueue() {
  stop();
  std::unique_lock lock(mutex_);
  quitting_ = true;
  wake_feeder_.notify_all();
  lock.unlock();
  feeder_.join();
  lock.lock();
  // Synthesis jobs hold `this` until they report back (stale ones stop at their first chunk).
  changed_.wait(lock, [this] { return jobs_outstanding_ == 0; });
}

void SpeechQueue::begin_reply_if_needed() {
  if (reply_open_) return;
  reply_open_ = true;
  history_.clear();
  sentences_spoken_ = 0;
  synthesis_errors_ = 0;
  first_sentence_time_.reset();
  output_.reset_first_sample_time();
}

void SpeechQueue::push_text_piece(std::string_view piece) {
  std::lock_guard lock(mutex_);
  begin_reply_if_needed();
  queue_sentences(text_.push(piece));
}

void SpeechQueue::finish() {
  std::lock_guard lock(mutex_);
  if (!reply_open_) return;
  queue_sentences(text_.finish());
  reply_open_ = false;
  wake_feeder_.notify_one();
}

void SpeechQueue::queue_sentences(std::vector<SpeechSentence> sentences) {
  for (SpeechSentence& sentence : sentences) {
    if (!first_sentence_time_) first_sentence_time_ = std::chrono::steady_clock::now();
    const VoiceInfo& voice =
        fixed_voice_.empty() ? synthesizer_.default_voice(sentence.language) : synthesizer_.voice(fixed_voice_);
    const std::uint64_t generation = generation_.load();
    const int sample_rate = voice.sample_rate;
    ++sentences_in_flight_;
    ++jobs_outstanding_;
    history_.push_back(sentence);
    auto sink = [this, generation, sample_rate](std::span<const float> samples) {
      if (generation_.load() != generation) return false;
      {
        std::lock_guard chunk_lock(mutex_);
        chunks_.push_back({generation, {samples.begin(), samples.end()}, sample_rate, false});
      }
      wake_feeder_.notify_one();
      return true;
    };
    auto finished = [this, generation, sample_rate, text = sentence.text](std::exception_ptr error) {
      std::lock_guard finish_lock(mutex_);
      if (error) {
        ++synthesis_errors_;
        log_message(LogLevel::error, "speech: could not synthesise \"" + text + "\": " + describe(error));
      }
      if (generation_.load() == generation) chunks_.push_back({generation, {}, sample_rate, true});
      --jobs_outstanding_;
      // Notified under the lock: once it is released with no job outstanding, the destructor may
      // destroy the condition variables.
      wake_feeder_.notify_one();
      changed_.notify_all();
    };
    synthesizer_.synthesize_streaming(voice.id, std::move(sentence.text), {options_.rate}, std::move(sink),
                                      std::move(finished));
  }
}

void SpeechQueue::feed() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_feeder_.wait(lock, [this] {
      return quitting_ || stop_requested_ || !chunks_.empty() || (utterance_open_ && sentences_in_flight_ == 0);
    });
    if (stop_requested_) {
      chunks_.clear();
      lock.unlock();
      output_.stop();
      lock.lock();
      utterance_open_ = false;
      stop_requested_ = false;
      ++stops_done_;
      changed_.notify_all();
      continue;
    }
    if (quitting_) return;
    if (chunks_.empty()) {
      // Nothing in flight: the reply has ended or waits for the model. Let the audio play out.
      lock.unlock();
      try {
        output_.end_utterance();
      } catch (const std::exception& error) {
        log_message(LogLevel::error, std::string("speech: audio output failed: ") + error.what());
      }
      lock.lock();
      utterance_open_ = false;
      changed_.notify_all();
      continue;
    }
    Chunk chunk = std::move(chunks_.front());
    chunks_.pop_front();
    if (chunk.generation != generation_.load()) continue;
    if (chunk.sentence_end) {
      --sentences_in_flight_;
      ++sentences_spoken_;
      changed_.notify_all();
      continue;
    }
    feeder_writing_ = true;
    utterance_open_ = true;
    lock.unlock();
    try {
      output_.write(chunk.samples, chunk.sample_rate,
                    [&] { return stop_requested_.load() || generation_.load() != chunk.generation; });
    } catch (const std::exception& error) {
      log_message(LogLevel::error, std::string("speech: audio output failed: ") + error.what());
    }
    lock.lock();
    feeder_writing_ = false;
    changed_.notify_all();
  }
}

void SpeechQueue::stop() {
  std::unique_lock lock(mutex_);
  ++generation_;
  text_.reset();
  reply_open_ = false;
  chunks_.clear();
  sentences_in_flight_ = 0;
  stop_requested_ = true;
  const std::uint64_t target = stops_done_ + 1;
  wake_feeder_.notify_all();
  changed_.wait_for(lock, kStopAcknowledgeTimeout, [&] { return stops_done_ >= target; });
}

bool SpeechQueue::idle() const {
  std::lock_guard lock(mutex_);
  return chunks_.empty() && sentences_in_flight_ == 0 && !utterance_open_ && !feeder_writing_ && !output_.playing();
}

bool SpeechQueue::wait_until_done(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (idle()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::milliseconds(5));
  }
}

SpeechQueueStats SpeechQueue::stats() const {
  std::lock_guard lock(mutex_);
  SpeechQueueStats stats;
  stats.sentences_queued = history_.size();
  stats.sentences_spoken = sentences_spoken_;
  stats.synthesis_errors = synthesis_errors_;
  stats.output = output_.counters();
  const auto first_sample = output_.first_sample_time();
  if (first_sentence_time_ && first_sample && *first_sample >= *first_sentence_time_)
    stats.first_audio_latency = *first_sample - *first_sentence_time_;
  return stats;
}

std::vector<SpeechSentence> SpeechQueue::sentences() const {
  std::lock_guard lock(mutex_);
  return history_;
}

}  // namespace linea::audio
