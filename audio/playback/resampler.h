// Mono float sample-rate conversion with libswresample, streaming: feed chunks, flush at the end.
// Not thread-safe; one instance per stream.
#pragma once

#include <memory>
#include <span>
#include <vector>

struct SwrContext;

namespace linea::audio {

class Resampler {
 public:
  Resampler(int input_rate, int output_rate);  // throws std::runtime_error for invalid rates
  ~Resampler();
  Resampler(Resampler&&) noexcept;
  Resampler& operator=(Resampler&&) noexcept;

  int input_rate() const { return input_rate_; }
  int output_rate() const { return output_rate_; }

  // Appends the converted samples to `out` (some may be held back until more input or flush()).
  void process(std::span<const float> input, std::vector<float>& out);
  // Appends what the filter still holds; the resampler can then start a new stream.
  void flush(std::vector<float>& out);

 private:
  struct SwrDeleter {
    void operator()(SwrContext* context) const;
  };
  void convert(const float* input, int count, std::vector<float>& out);

  int input_rate_;
  int output_rate_;
  std::unique_ptr<SwrContext, SwrDeleter> context_;
};

// Converts a whole buffer.
std::vector<float> resample(std::span<const float> input, int input_rate, int output_rate);

}  // namespace linea::audio
