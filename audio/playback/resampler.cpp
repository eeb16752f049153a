#include "audio/playback/resampler.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

#include <cstdint>
#include <stdexcept>
#include <string>

namespace linea::audio {
namespace {

std::string av_error_text(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

}  // namespace

void Resampler::SwrDeleter::operator()(SwrContext* context) const { swr_free(&context); }

Resampler::Resampler(int input_rate, int output_rate) : input_rate_(input_rate), output_rate_(output_rate) {
  if (input_rate <= 0 || output_rate <= 0)
    throw std::runtime_error("cannot resample from " + std::to_string(input_rate) + " Hz to " +
                             std::to_string(output_rate) + " Hz");
  SwrContext* raw = nullptr;
  AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;  // FFmpeg 5.1 takes it non-const
  int status = swr_alloc_set_opts2(&raw, &mono, AV_SAMPLE_FMT_FLT, output_rate, &mono, AV_SAMPLE_FMT_FLT, input_rate, 0,
                                   nullptr);
  context_.reset(raw);
  if (status >= 0) status = swr_init(context_.get());
  if (status < 0) throw std::runtime_error("libswresample: " + av_error_text(status));
}

Resampler::~Resampler() = default;
Resampler::Resampler(Resampler&&) noexcept = default;
Resampler& Resampler::operator=(Resampler&&) noexcept = default;

void Resampler::convert(const float* input, int count, std::vector<float>& out) {
  const int capacity = swr_get_out_samples(context_.get(), count);
  if (capacity < 0) throw std::runtime_error("libswresample: " + av_error_text(capacity));
  const std::size_t start = out.size();
  out.resize(start + static_cast<std::size_t>(capacity));
  auto* destination = reinterpret_cast<std::uint8_t*>(out.data() + start);
  const auto* source = reinterpret_cast<const std::uint8_t*>(input);
  const int produced = swr_convert(context_.get(), &destination, capacity, input ? &source : nullptr, count);
  if (produced < 0) {
    out.resize(start);
    throw std::runtime_error("libswresample: " + av_error_text(produced));
  }
  out.resize(start + static_cast<std::size_t>(produced));
}

void Resampler::process(std::span<const float> input, std::vector<float>& out) {
  if (input.empty()) return;
  convert(input.data(), static_cast<int>(input.size()), out);
}

void Resampler::flush(std::vector<float>& out) {
  convert(nullptr, 0, out);                     // no input: drains the filter's delay line
  const int status = swr_init(context_.get());  // back to a fresh stream
  if (status < 0) throw std::runtime_error("libswresample: " + av_error_text(status));
}

std::vector<float> resample(std::span<const float> input, int input_rate, int output_rate) {
  if (input_rate == output_rate) return {input.begin(), input.end()};
  Resampler resampler(input_rate, output_rate);
  std::vector<float> out;
  out.reserve(static_cast<std::size_t>(static_cast<double>(input.size()) * output_rate / input_rate) + 64);
  resampler.process(input, out);
  resampler.flush(out);
  return out;
}

}  // namespace linea::audio
