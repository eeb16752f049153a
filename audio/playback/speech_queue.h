// Speaks a streaming reply sentence by sentence while it is still being generated: text pieces in
// (e.g. each token of a chat reply), sentences out of SpeechTextStream, synthesis on the
// synthesizer's audio worker, PCM through a feeder thread into AudioOutput's ring, so sentence N
// plays while N+1 is synthesised.
//
//   SpeechQueue queue(synthesizer, output, {.voice = "auto", .rate = 1.0});
//   on_token: queue.push_text_piece(token);          // returns at once
//   on_reply_done: queue.finish();                   // speak what is left
//   on_stop_button: queue.stop();                    // silent within 100 ms
//
// Thread-safety: push_text_piece() and finish() come from one producer thread at a time; stop(),
// wait_until_done(), idle() and stats() from any thread. The synthesizer and the output must
// outlive the queue, and the queue is the only user of the output's producer side while it lives.
#pragma once

#include "audio/playback/audio_output.h"
#include "audio/text/speech_text_stream.h"
#include "audio/voices/speech_synthesizer.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace linea::audio {

struct SpeechQueueOptions {
  // A voice query (see SpeechSynthesizer::voice), or "auto": each sentence in the default voice of
  // its language as detected from the reply so far.
  std::string voice = "auto";
  double rate = 1.0;
};

struct SpeechQueueStats {
  std::size_t sentences_queued = 0;  // of the current (or last) reply
  std::size_t sentences_spoken = 0;  // fully handed to the output
  std::size_t synthesis_errors = 0;
  OutputCounters output;
  // From the moment the reply's first sentence was complete to its first sample handed to PortAudio.
  std::optional<std::chrono::nanoseconds> first_audio_latency;
};

class SpeechQueue {
 public:
  // Throws VoiceError for an unknown voice or a bad rate.
  SpeechQueue(SpeechSynthesizer& synthesizer, AudioOutput& output, SpeechQueueOptions options = {});
  ~SpeechQueue();
  SpeechQueue(const SpeechQueue&) = delete;
  SpeechQueue& operator=(const SpeechQueue&) = delete;

  void push_text_piece(std::string_view piece);
  void finish();
  // Drops the pending text, sentences and audio; the output is silent when this returns (within
  // 100 ms). The queue then takes a new reply.
  void stop();
  // True when everything queued has played (call finish() first for the reply's last sentence).
  bool wait_until_done(std::chrono::milliseconds timeout);
  bool idle() const;

  SpeechQueueStats stats() const;
  std::vector<SpeechSentence> sentences() const;  // the current reply's sentences so far, in order

 private:
  struct Chunk {
    std::uint64_t generation;
    std::vector<float> samples;
    int sample_rate;
    bool sentence_end;  // marks that the sentence's synthesis has finished
  };

  void queue_sentences(std::vector<SpeechSentence> sentences);  // with mutex_ held
  void begin_reply_if_needed();                                 // with mutex_ held
  void feed();

  SpeechSynthesizer& synthesizer_;
  AudioOutput& output_;
  SpeechQueueOptions options_;
  std::string fixed_voice_;  // resolved id, or empty for "auto"

  mutable std::mutex mutex_;
  std::condition_variable wake_feeder_;
  std::condition_variable changed_;
  SpeechTextStream text_;
  bool reply_open_ = false;
  std::deque<Chunk> chunks_;
  std::size_t sentences_in_flight_ = 0;  // queued for synthesis, end mark not yet fed to the output
  std::size_t jobs_outstanding_ = 0;     // synthesis jobs that may still call back into this queue
  bool utterance_open_ = false;
  bool feeder_writing_ = false;
  bool quitting_ = false;
  std::vector<SpeechSentence> history_;
  std::size_t sentences_spoken_ = 0;
  std::size_t synthesis_errors_ = 0;
  std::optional<std::chrono::steady_clock::time_point> first_sentence_time_;

  std::atomic<std::uint64_t> generation_{0};  // bumped by stop(): stale audio is dropped
  std::atomic<bool> stop_requested_{false};
  std::uint64_t stops_done_ = 0;
  std::thread feeder_;  // last
};

}  // namespace linea::audio
