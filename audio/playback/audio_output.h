// Plays mono float PCM on an output device through PortAudio. The real-time callback only copies
// from a lock-free ring (SampleRing): no allocation, no locks, no I/O. Audio comes in "utterances":
// write() samples (resampled with libswresample when their rate differs from the device's), then
// end_utterance(); the stream starts once `prebuffer_seconds` are queued (or at the utterance's end)
// and finishes by itself when the utterance has played out. A ring that runs dry before the end of
// an utterance plays silence and counts an underrun.
//
//   AudioOutput output({.device = "", .sample_rate = 0});   // default device at its default rate
//   output.write(pcm.samples, pcm.sample_rate);
//   output.end_utterance();
//   output.wait_until_played(std::chrono::seconds(30));
//
// Thread-safety: write(), end_utterance(), wait_until_played() and stop() belong to one producer
// thread. playing(), counters() and the first-sample clock may be read from any thread.
// Without an output device the constructor throws AudioDeviceError("no audio output device").
#pragma once

#include "audio/playback/portaudio_library.h"
#include "audio/playback/resampler.h"
#include "audio/playback/sample_ring.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace linea::audio {

struct OutputConfig {
  std::string device;               // see PortAudioLibrary::find_output_device; "" = default
  int sample_rate = 0;              // stream rate; 0 = the device's default rate
  double latency_seconds = 0;       // 0 = the device's default high latency (safe on a busy CPU)
  double ring_seconds = 8.0;        // ring capacity
  double prebuffer_seconds = 0.05;  // queued audio before an utterance starts playing
};

struct OutputCounters {
  std::uint64_t underruns = 0;       // callbacks that found the ring dry mid-utterance
  std::uint64_t samples_played = 0;  // samples handed to PortAudio (silence not counted)
  std::uint64_t utterances = 0;
};

class AudioOutput {
 public:
  explicit AudioOutput(const OutputConfig& config = {});
  ~AudioOutput();
  AudioOutput(const AudioOutput&) = delete;
  AudioOutput& operator=(const AudioOutput&) = delete;

  const OutputDevice& device() const { return device_; }
  int sample_rate() const { return sample_rate_; }
  double latency_seconds() const { return latency_seconds_; }

  // Producer thread. Queues samples at `sample_rate`, blocking while the ring is full. Starts a new
  // utterance when none is open (first waiting for the previous one to finish playing). Returns
  // false when `cancelled` turned true before everything was queued.
  bool write(std::span<const float> samples, int sample_rate, const std::function<bool()>& cancelled = {});
  // Producer thread. The open utterance is complete: it plays out and the stream stops by itself.
  void end_utterance();
  // Producer thread. Ends the open utterance, then waits until it has played; false on timeout or
  // cancel (the audio keeps playing; stop() silences it).
  bool wait_until_played(std::chrono::milliseconds timeout, const std::function<bool()>& cancelled = {});
  // Producer thread. Silence now: aborts the stream and drops everything queued (a few ms).
  void stop();

  bool playing() const { return active_.load(std::memory_order_acquire); }
  OutputCounters counters() const;
  // When the callback first handed a real sample to PortAudio since the last reset.
  std::optional<std::chrono::steady_clock::time_point> first_sample_time() const;
  void reset_first_sample_time() { first_sample_ns_.store(0, std::memory_order_relaxed); }

 private:
  struct StreamCloser {
    void operator()(void* stream) const;
  };

  friend struct AudioOutputCallbacks;        // PortAudio's C callbacks, in the .cpp
  int fill(float* out, std::size_t frames);  // the real-time callback's work

  bool queue(std::span<const float> samples, const std::function<bool()>& cancelled);
  bool begin_utterance(const std::function<bool()>& cancelled);
  void start_stream();
  void stop_finished_stream();

  PortAudioLibrary library_;  // first: outlives the stream
  OutputDevice device_;
  int sample_rate_ = 0;
  double latency_seconds_ = 0;
  std::size_t prebuffer_samples_ = 0;
  SampleRing ring_;
  std::unique_ptr<void, StreamCloser> stream_;

  // Producer-thread state.
  bool started_ = false;  // Pa_StartStream called and not yet stopped
  bool utterance_open_ = false;
  std::optional<Resampler> resampler_;
  std::vector<float> resampled_;

  // Shared with the callback.
  std::atomic<bool> input_ended_{true};
  std::atomic<bool> active_{false};
  std::atomic<std::uint64_t> underruns_{0};
  std::atomic<std::uint64_t> samples_played_{0};
  std::atomic<std::uint64_t> utterances_{0};
  std::atomic<std::int64_t> first_sample_ns_{0};
};

}  // namespace linea::audio
