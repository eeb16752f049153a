#include "audio/playback/audio_output.h"

#include <portaudio.h>

#include <algorithm>
#include <cmath>
#include <thread>

namespace linea::audio {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(2);

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string pa_error(PaError error) {
  std::string text = Pa_GetErrorText(error);
  if (error == paUnanticipatedHostError) {
    if (const PaHostErrorInfo* host = Pa_GetLastHostErrorInfo(); host && host->errorText)
      text += std::string(" (") + host->errorText + ")";
  }
  return text;
}

}  // namespace

struct AudioOutputCallbacks {
  static int on_audio(const void* /*input*/, void* output, unsigned long frames,
                      const PaStreamCallbackTimeInfo* /*time*/, PaStreamCallbackFlags /*flags*/, void* self) {
    return static_cast<AudioOutput*>(self)->fill(static_cast<float*>(output), frames);
  }
  static void on_finished(void* self) {
    static_cast<AudioOutput*>(self)->active_.store(false, std::memory_order_release);
  }
};

void AudioOutput::StreamCloser::operator()(void* stream) const { Pa_CloseStream(stream); }

AudioOutput::AudioOutput(const OutputConfig& config)
    : device_(library_.find_output_device(config.device)),
      sample_rate_(config.sample_rate > 0 ? config.sample_rate
                                          : static_cast<int>(std::lround(device_.default_sample_rate))),
      latency_seconds_(config.latency_seconds > 0 ? config.latency_seconds : device_.default_high_latency),
      prebuffer_samples_(static_cast<std::size_t>(std::max(0.0, config.prebuffer_seconds) * sample_rate_)),
      ring_(static_cast<std::size_t>(std::max(0.1, config.ring_seconds) * sample_rate_)) {
  PaStreamParameters parameters{};
  parameters.device = device_.index;
  parameters.channelCount = 1;
  parameters.sampleFormat = paFloat32;
  parameters.suggestedLatency = latency_seconds_;
  const PaError supported = Pa_IsFormatSupported(nullptr, &parameters, sample_rate_);
  if (supported != paFormatIsSupported)
    throw AudioDeviceError("audio output device '" + device_.name + "' cannot play mono float at " +
                           std::to_string(sample_rate_) + " Hz: " + pa_error(supported));
  PaStream* stream = nullptr;
  // Priming from the callback: an utterance's first samples go out first, not a buffer of zeros.
  const PaError opened = Pa_OpenStream(&stream, nullptr, &parameters, sample_rate_, paFramesPerBufferUnspecified,
                                       paPrimeOutputBuffersUsingStreamCallback, &AudioOutputCallbacks::on_audio, this);
  if (opened != paNoError)
    throw AudioDeviceError("cannot open audio output device '" + device_.name + "': " + pa_error(opened));
  stream_.reset(stream);
  Pa_SetStreamFinishedCallback(stream, &AudioOutputCallbacks::on_finished);
  if (const PaStreamInfo* info = Pa_GetStreamInfo(stream)) latency_seconds_ = info->outputLatency;
}

AudioOutput::~AudioOutput() { stop(); }

int AudioOutput::fill(float* out, std::size_t frames) {
  const std::size_t got = ring_.read({out, frames});
  if (got > 0) {
    samples_played_.fetch_add(got, std::memory_order_relaxed);
    if (first_sample_ns_.load(std::memory_order_relaxed) == 0)
      first_sample_ns_.store(now_ns(), std::memory_order_relaxed);
  }
  if (got < frames) {
    std::fill(out + got, out + frames, 0.0f);
    if (input_ended_.load(std::memory_order_acquire)) return paComplete;
    underruns_.fetch_add(1, std::memory_order_relaxed);
  }
  return paContinue;
}

bool AudioOutput::write(std::span<const float> samples, int sample_rate, const std::function<bool()>& cancelled) {
  if (!utterance_open_ && !begin_utterance(cancelled)) return false;
  if (sample_rate == sample_rate_) {
    if (resampler_) {  // the voice changed back to the device's rate: let the old filter's tail out
      resampled_.clear();
      resampler_->flush(resampled_);
      resampler_.reset();
      if (!queue(resampled_, cancelled)) return false;
    }
    return queue(samples, cancelled);
  }
  resampled_.clear();
  if (resampler_ && resampler_->input_rate() != sample_rate) {
    resampler_->flush(resampled_);
    resampler_.reset();
  }
  if (!resampler_) resampler_.emplace(sample_rate, sample_rate_);
  resampler_->process(samples, resampled_);
  return queue(resampled_, cancelled);
}

bool AudioOutput::queue(std::span<const float> samples, const std::function<bool()>& cancelled) {
  for (;;) {
    samples = samples.subspan(ring_.write(samples));
    if (!started_ && (ring_.available() >= prebuffer_samples_ || ring_.free_space() == 0)) start_stream();
    if (samples.empty()) return true;
    if (cancelled && cancelled()) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
}

bool AudioOutput::begin_utterance(const std::function<bool()>& cancelled) {
  // The previous utterance must finish first: its end-of-input mark would otherwise end this one.
  while (started_ && playing()) {
    if (cancelled && cancelled()) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
  stop_finished_stream();
  input_ended_.store(false, std::memory_order_release);
  utterance_open_ = true;
  utterances_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void AudioOutput::end_utterance() {
  if (!utterance_open_) return;
  if (resampler_) {
    resampled_.clear();
    resampler_->flush(resampled_);
    resampler_.reset();
    queue(resampled_, {});
  }
  input_ended_.store(true, std::memory_order_release);
  utterance_open_ = false;
  if (!started_ && ring_.available() > 0) start_stream();
}

bool AudioOutput::wait_until_played(std::chrono::milliseconds timeout, const std::function<bool()>& cancelled) {
  end_utterance();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (started_ && playing()) {
    if ((cancelled && cancelled()) || std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
  stop_finished_stream();
  return true;
}

void AudioOutput::stop() {
  if (started_) {
    Pa_AbortStream(stream_.get());
    started_ = false;
  }
  active_.store(false, std::memory_order_release);
  ring_.clear_when_idle();  // the callback is not running now, and this is the producer thread
  resampler_.reset();
  input_ended_.store(true, std::memory_order_release);
  utterance_open_ = false;
}

void AudioOutput::start_stream() {
  active_.store(true, std::memory_order_release);
  const PaError started = Pa_StartStream(stream_.get());
  if (started != paNoError) {
    active_.store(false, std::memory_order_release);
    throw AudioDeviceError("cannot start audio output on '" + device_.name + "': " + pa_error(started));
  }
  started_ = true;
}

void AudioOutput::stop_finished_stream() {
  if (!started_) return;
  Pa_StopStream(stream_.get());  // the callback already completed; this resets the stream for a restart
  started_ = false;
}

OutputCounters AudioOutput::counters() const {
  return {underruns_.load(std::memory_order_relaxed), samples_played_.load(std::memory_order_relaxed),
          utterances_.load(std::memory_order_relaxed)};
}

std::optional<std::chrono::steady_clock::time_point> AudioOutput::first_sample_time() const {
  const std::int64_t ns = first_sample_ns_.load(std::memory_order_relaxed);
  if (ns == 0) return std::nullopt;
  return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns));
}

}  // namespace linea::audio
