// Benchmark of the vision pipeline (not a test): milliseconds per image for decoding and anyres
// preprocessing of a 1920x1080 picture, how far OpenCV's INTER_CUBIC lands from the Pillow-exact
// resampler, and the CLIP ViT-L/14-336 tower + projector of MiniMax-VL-01 with random BF16 weights
// (the real checkpoint's dtype) per 336x336 tile, at 1 and 2 threads.
//
//   build/<dir>/tests/bin/bench_vision [--layers N] [--repeat R] [--no-encoder]
#include "engine/core/float16.h"
#include "engine/cpu/thread_pool.h"
#include "engine/io/tensor_source.h"
#include "vision/anyres_geometry.h"
#include "vision/clip_vision.h"
#include "vision/image_decode.h"
#include "vision/preprocess.h"
#include "vision/projector.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <random>
#include <string>

using namespace linea::vision;
using Clock = std::chrono::steady_clock;

namespace {

// Median wall-clock milliseconds of `repeat` runs; `cpu_ms` gets the median process CPU time (all
// threads), which a machine shared with other jobs inflates much less than the wall clock.
double milliseconds(const std::function<void()>& work, int repeat, double* cpu_ms = nullptr) {
  std::vector<double> times, cpu;
  for (int i = 0; i < repeat; ++i) {
    const auto start = Clock::now();
    const std::clock_t cpu_start = std::clock();
    work();
    cpu.push_back(1000.0 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  std::sort(cpu.begin(), cpu.end());
  if (cpu_ms) *cpu_ms = cpu[cpu.size() / 2];
  return times[times.size() / 2];  // median
}

// A smooth, photo-like 1920x1080 picture: soft gradients, a few hard edges and fine texture.
RgbImage photo_like(int width, int height) {
  RgbImage image(width, height);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const double base = 128 + 70 * std::sin(x / 97.0) * std::cos(y / 61.0);
      const double edge = (x > width / 3 && y < height / 2) ? 40 : 0;
      const double texture = 12 * std::sin(x * 0.9 + y * 0.7);
      for (int c = 0; c < 3; ++c)
        image.at(x, y, c) = static_cast<std::uint8_t>(std::clamp(base + edge + texture + 25 * c - 25, 0.0, 255.0));
    }
  return image;
}

// Random weights held in memory, served as a TensorSource (the model uses them in place).
class RandomWeights : public linea::io::TensorSource {
 public:
  void add(const std::string& name, std::vector<std::int64_t> shape, linea::DType dtype, float scale,
           std::mt19937& random) {
    linea::io::TensorInfo info;
    info.name = name;
    info.shape = std::move(shape);
    info.dtype = dtype;
    const std::int64_t count = info.element_count();
    std::normal_distribution<float> normal(0.0f, scale);
    auto& buffer = buffers_.emplace_back(static_cast<std::size_t>(count) * (dtype == linea::DType::bf16 ? 2 : 4));
    for (std::int64_t i = 0; i < count; ++i) {
      const float value = normal(random);
      if (dtype == linea::DType::bf16) {
        const std::uint16_t half = linea::f32_to_bf16(value);
        std::memcpy(buffer.data() + i * 2, &half, 2);
      } else {
        std::memcpy(buffer.data() + i * 4, &value, 4);
      }
    }
    info.data = buffer.data();
    info.size_bytes = buffer.size();
    info.file = "random";
    tensors_.push_back(std::move(info));
  }
  const linea::io::TensorInfo* find(std::string_view name) const override {
    for (const auto& tensor : tensors_)
      if (tensor.name == name) return &tensor;
    return nullptr;
  }
  const std::vector<linea::io::TensorInfo>& tensors() const override { return tensors_; }
  std::string describe() const override { return "random weights"; }

 private:
  std::vector<std::vector<std::byte>> buffers_;
  std::vector<linea::io::TensorInfo> tensors_;
};

void bench_preprocessing(int repeat) {
  const RgbImage photo = photo_like(1920, 1080);
  std::vector<std::uint8_t> jpeg;
  cv::Mat bgr(photo.height, photo.width, CV_8UC3, const_cast<std::uint8_t*>(photo.pixels.data()));
  cv::imencode(".jpg", bgr, jpeg, {cv::IMWRITE_JPEG_QUALITY, 90});
  double cpu = 0;
  const double decode = milliseconds([&] { decode_image_bytes(jpeg, "photo.jpg"); }, repeat, &cpu);
  std::printf("decode 1920x1080 JPEG (%zu bytes): %.1f ms wall, %.1f ms CPU\n", jpeg.size(), decode, cpu);

  PreprocessConfig pil = PreprocessConfig::minimax_vl_01();
  PreprocessConfig opencv = pil;
  opencv.resample = ResampleMethod::opencv_cubic;
  const AnyresGeometry g = anyres_geometry({1080, 1920}, pil.pinpoints);
  std::printf("anyres 1920x1080: best %dx%d, %d tiles, %d tokens\n", g.best_resolution.width, g.best_resolution.height,
              g.tile_count, g.token_count);
  const double exact = milliseconds([&] { preprocess_anyres(photo, pil); }, repeat, &cpu);
  std::printf("preprocess 1920x1080 (Pillow-exact bicubic): %.1f ms wall, %.1f ms CPU\n", exact, cpu);
  const double fast = milliseconds([&] { preprocess_anyres(photo, opencv); }, repeat, &cpu);
  std::printf("preprocess 1920x1080 (OpenCV INTER_CUBIC):   %.1f ms wall, %.1f ms CPU\n", fast, cpu);

  // How far OpenCV's cubic lands from Pillow's on the same picture (8-bit levels).
  const AnyresCanvas a = anyres_canvas(photo, pil), b = anyres_canvas(photo, opencv);
  for (const auto& [name, x, y] :
       {std::tuple{"resized canvas", &a.padded, &b.padded}, std::tuple{"336 thumbnail", &a.thumbnail, &b.thumbnail}}) {
    int worst = 0;
    double total = 0;
    std::size_t differing = 0;
    for (std::size_t i = 0; i < x->pixels.size(); ++i) {
      const int d = std::abs(int(x->pixels[i]) - int(y->pixels[i]));
      worst = std::max(worst, d);
      total += d;
      differing += d != 0;
    }
    std::printf(
        "OpenCV INTER_CUBIC vs Pillow BICUBIC, %s: max %d levels, mean %.3f levels, %.1f%% of samples differ"
        " (max %.4f after normalisation)\n",
        name, worst, total / x->pixels.size(), 100.0 * differing / x->pixels.size(), worst / 255.0 / 0.26130258);
  }
}

void bench_encoder(int layers, int repeat) {
  ClipVisionConfig config = ClipVisionConfig::vit_large_14_336();
  const int full_layers = config.num_hidden_layers;
  config.num_hidden_layers = layers;
  const int d = config.hidden_size;
  std::mt19937 random(1);
  RandomWeights weights;
  const auto bf16 = linea::DType::bf16;
  const std::string root = "vision_tower.vision_model.";
  weights.add(root + "embeddings.patch_embedding.weight", {d, 3, 14, 14}, bf16, 0.02f, random);
  weights.add(root + "embeddings.class_embedding", {d}, bf16, 0.02f, random);
  weights.add(root + "embeddings.position_embedding.weight", {577, d}, bf16, 0.02f, random);
  weights.add(root + "pre_layrnorm.weight", {d}, bf16, 1.0f, random);
  weights.add(root + "pre_layrnorm.bias", {d}, bf16, 0.02f, random);
  for (int i = 0; i < layers; ++i) {
    const std::string l = root + "encoder.layers." + std::to_string(i) + ".";
    for (const char* norm : {"layer_norm1", "layer_norm2"}) {
      weights.add(l + norm + ".weight", {d}, bf16, 1.0f, random);
      weights.add(l + norm + ".bias", {d}, bf16, 0.02f, random);
    }
    for (const char* proj : {"q_proj", "k_proj", "v_proj", "out_proj"}) {
      weights.add(l + "self_attn." + proj + ".weight", {d, d}, bf16, 0.02f, random);
      weights.add(l + "self_attn." + proj + ".bias", {d}, bf16, 0.02f, random);
    }
    weights.add(l + "mlp.fc1.weight", {4096, d}, bf16, 0.02f, random);
    weights.add(l + "mlp.fc1.bias", {4096}, bf16, 0.02f, random);
    weights.add(l + "mlp.fc2.weight", {d, 4096}, bf16, 0.02f, random);
    weights.add(l + "mlp.fc2.bias", {d}, bf16, 0.02f, random);
  }
  weights.add("multi_modal_projector.linear_1.weight", {6144, d}, bf16, 0.02f, random);
  weights.add("multi_modal_projector.linear_1.bias", {6144}, bf16, 0.02f, random);
  weights.add("multi_modal_projector.linear_2.weight", {6144, 6144}, bf16, 0.02f, random);
  weights.add("multi_modal_projector.linear_2.bias", {6144}, bf16, 0.02f, random);
  weights.add("image_newline", {6144}, bf16, 0.02f, random);

  const ClipVisionModel tower(config, weights, ClipVisionModel::find_root(weights));
  const MultiModalProjector projector(weights, "", d, Activation::gelu);
  std::normal_distribution<float> normal;
  std::vector<float> pixels(3 * 336 * 336);
  for (float& p : pixels) p = normal(random);
  std::printf("CLIP ViT-L/14-336, BF16 random weights, %d of %d layers, one 336x336 tile (577 tokens):\n", layers,
              full_layers);
  for (int threads : {1, 2}) {
    linea::cpu::ThreadPool pool(threads);
    std::vector<float> features;
    double tower_cpu = 0, projector_cpu = 0;
    const double tower_ms =
        milliseconds([&] { features = tower.hidden_state(pixels, 336, 336, -1, pool); }, repeat, &tower_cpu);
    const std::span<const float> patches = std::span<const float>(features).subspan(d);
    const double projector_ms = milliseconds([&] { projector.project(patches, 576, pool); }, repeat, &projector_cpu);
    std::printf(
        "  %d thread%s: tower %.0f ms wall / %.0f ms CPU (%.0f ms wall per layer); "
        "projector 1024->6144->6144 x 576: %.0f ms wall / %.0f ms CPU\n",
        threads, threads == 1 ? "" : "s", tower_ms, tower_cpu, tower_ms / layers, projector_ms, projector_cpu);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int layers = 24, repeat = 3;
  bool encoder = true;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--layers" && i + 1 < argc)
      layers = std::max(1, std::atoi(argv[++i]));
    else if (argument == "--repeat" && i + 1 < argc)
      repeat = std::max(1, std::atoi(argv[++i]));
    else if (argument == "--no-encoder")
      encoder = false;
    else {
      std::fprintf(stderr, "usage: bench_vision [--layers N] [--repeat R] [--no-encoder]\n");
      return 2;
    }
  }
  bench_preprocessing(std::max(repeat, 5));
  if (encoder) bench_encoder(layers, repeat);
  return 0;
}
