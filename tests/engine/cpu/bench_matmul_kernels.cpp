// Speed of the matrix product (ops.h matmul, threaded) for each weight dtype against this machine's
// limits measured in the same run (not a test: speed is never asserted).
//
//   decode : one position through a stack of matrices with the shapes of an RWKV-7 0.4B layer
//            (C = 1024, F = 4096) repeated until the weights fill about 400 MB, as a 0.4B model's
//            decode step reads them; reported as weight bytes read per second ÷ the triad bandwidth.
//   prefill: 512 positions through a 1024×4096 and a 4096×1024 matrix; reported as matmul FLOPs per
//            second ÷ the peak FMA rate of the same table.
// Each dtype's measurements alternate with the bandwidth / peak probes within a round, and the
// median fraction over the rounds is printed, so a drifting machine moves both sides together.
//
//   bench_matmul_kernels [ROUNDS] [THREADS] [TABLE] [DTYPES]   e.g. bench_matmul_kernels 3 2 avx512 q8_0,q4_k
// Weights are random blocks (the speed does not depend on their values); activations are random.
#include "engine/core/dtype.h"
#include "engine/core/float16.h"
#include "engine/cpu/kernels.h"
#include "engine/cpu/ops.h"
#include "engine/cpu/packed_weights.h"
#include "engine/cpu/roofline.h"
#include "engine/cpu/thread_pool.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using linea::DType;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Random bytes with every fp16 scale of a block set to a small normal value (no NaN or infinity).
std::vector<std::byte> random_weights(DType dtype, std::int64_t rows, std::int64_t cols, std::uint32_t seed) {
  const linea::DTypeInfo info = linea::dtype_info(dtype);
  const std::int64_t blocks = rows * cols / info.block_size;
  std::vector<std::byte> bytes(static_cast<std::size_t>(blocks * info.block_bytes));
  std::mt19937 rng(seed);
  for (std::byte& b : bytes) b = static_cast<std::byte>(rng() & 0xff);
  const std::uint16_t small = linea::f32_to_fp16(0.01f);
  const auto set_half = [&](std::int64_t offset) { std::memcpy(bytes.data() + offset, &small, 2); };
  for (std::int64_t b = 0; b < blocks; ++b) {
    const std::int64_t at = b * info.block_bytes;
    switch (dtype) {
      case DType::f32:
        for (std::int64_t i = 0; i < 4 * info.block_size; i += 4) {
          const float v = static_cast<float>(rng() % 2001) * 1e-3f - 1.0f;
          std::memcpy(bytes.data() + at + i, &v, 4);
        }
        break;
      case DType::f16:
      case DType::bf16: {
        const std::uint16_t v = dtype == DType::f16 ? linea::f32_to_fp16(0.5f) : linea::f32_to_bf16(0.5f);
        std::memcpy(bytes.data() + at, &v, 2);
        break;
      }
      case DType::q8_0:
      case DType::q4_0: set_half(at); break;
      case DType::q4_k: set_half(at), set_half(at + 2); break;
      case DType::q6_k: set_half(at + 208); break;
      default: break;
    }
  }
  return bytes;
}

// In the layout the active table prefers, as models load their matrices (Q4_K: 8-row groups).
struct Matrix {
  std::vector<std::byte> bytes;
  std::shared_ptr<linea::cpu::PackedWeights> packed;
  linea::cpu::WeightView view;
};

Matrix make_matrix(DType dtype, std::int64_t rows, std::int64_t cols, std::uint32_t seed) {
  Matrix m{random_weights(dtype, rows, cols, seed), std::make_shared<linea::cpu::PackedWeights>(), {}};
  m.view = m.packed->prepare({dtype, rows, cols, m.bytes.data()});
  return m;
}

std::vector<float> random_activations(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, 1.0f);
  std::vector<float> out(n);
  for (float& v : out) v = dist(rng);
  return out;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  for (std::string part; std::getline(stream, part, ',');)
    if (!part.empty()) parts.push_back(part);
  return parts;
}

DType dtype_named(const std::string& name) {
  for (DType type : {DType::f32, DType::f16, DType::bf16, DType::q8_0, DType::q4_0, DType::q4_k, DType::q6_k}) {
    std::string lower(linea::dtype_name(type));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == name) return type;
  }
  throw std::invalid_argument("unknown dtype '" + name + "'");
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::stoi(argv[1]) : 3;
  const int threads = argc > 2 ? std::stoi(argv[2]) : 2;
  const std::string table_name = argc > 3 ? argv[3] : "";
  const std::vector<std::string> dtypes = split(argc > 4 ? argv[4] : "f32,bf16,q8_0,q4_0,q4_k,q6_k");
  if (!table_name.empty()) {
    const linea::cpu::Kernels* table = linea::cpu::find_kernels(table_name);
    if (table == nullptr) {
      std::fprintf(stderr, "no usable kernel table is named '%s'\n", table_name.c_str());
      return 2;
    }
    linea::cpu::set_active_kernels(*table);
  }
  linea::cpu::ThreadPool pool(threads);
  std::printf("table %s, %d threads, %d rounds; medians\n", std::string(linea::cpu::active_kernels().name).c_str(),
              threads, rounds);
  std::printf("%-6s %10s %10s %9s | %10s %10s %9s\n", "dtype", "decode GB/s", "triad GB/s", "fraction", "prefill GF/s",
              "peak GF/s", "fraction");

  constexpr std::int64_t kModel = 1024, kFfn = 4096, kPrefill = 512;
  constexpr double kDecodeBytes = 400e6;
  for (const std::string& name : dtypes) {
    const DType dtype = dtype_named(name);
    // Decode: the layer's four C×C projections, the FFN up (F×C) and down (C×F), repeated.
    std::vector<Matrix> stack;
    double stack_bytes = 0;
    for (std::uint32_t seed = 1; stack_bytes < kDecodeBytes; ++seed) {
      for (auto [rows, cols] : {std::pair{kModel, kModel},
                                {kModel, kModel},
                                {kModel, kModel},
                                {kModel, kModel},
                                {kFfn, kModel},
                                {kModel, kFfn}}) {
        stack.push_back(make_matrix(dtype, rows, cols, seed * 16 + static_cast<std::uint32_t>(stack.size())));
        stack_bytes += static_cast<double>(stack.back().bytes.size());
      }
    }
    const std::vector<float> x_one = random_activations(kFfn, 3);
    std::vector<float> y_one(kFfn);
    const Matrix up = make_matrix(dtype, kFfn, kModel, 5), down = make_matrix(dtype, kModel, kFfn, 6);
    const std::vector<float> x_many = random_activations(static_cast<std::size_t>(kPrefill * kFfn), 7);
    std::vector<float> y_many(static_cast<std::size_t>(kPrefill * kFfn));

    const auto decode_step = [&] {
      for (const Matrix& m : stack)
        linea::cpu::matmul(pool, m.view, std::span(x_one).first(static_cast<std::size_t>(m.view.cols)), 1,
                           std::span(y_one).first(static_cast<std::size_t>(m.view.rows)));
    };
    const auto prefill_step = [&] {
      for (const Matrix* m : {&up, &down})
        linea::cpu::matmul(pool, m->view, std::span(x_many).first(static_cast<std::size_t>(kPrefill * m->view.cols)),
                           kPrefill, std::span(y_many).first(static_cast<std::size_t>(kPrefill * m->view.rows)));
    };
    const double prefill_flops = 2.0 * 2.0 * kModel * kFfn * kPrefill;
    decode_step();  // first touch
    prefill_step();
    std::vector<double> decode_rate, bandwidth, decode_fraction, prefill_rate, peak, prefill_fraction;
    for (int round = 0; round < rounds; ++round) {
      auto start = std::chrono::steady_clock::now();
      const int steps = 4;
      for (int s = 0; s < steps; ++s) decode_step();
      decode_rate.push_back(steps * stack_bytes / seconds_since(start) / 1e9);
      bandwidth.push_back(linea::cpu::measure_bandwidth_gb_s(pool, std::size_t{512} << 20, 3));
      decode_fraction.push_back(decode_rate.back() / bandwidth.back());
      start = std::chrono::steady_clock::now();
      prefill_step();
      prefill_rate.push_back(prefill_flops / seconds_since(start) / 1e9);
      peak.push_back(linea::cpu::measure_peak_gflop_s(pool, 3));
      prefill_fraction.push_back(prefill_rate.back() / peak.back());
    }
    std::printf("%-6s %10.2f %10.2f %9.3f | %10.1f %10.1f %9.3f\n", name.c_str(), median(decode_rate),
                median(bandwidth), median(decode_fraction), median(prefill_rate), median(peak),
                median(prefill_fraction));
    std::fflush(stdout);
  }
  return 0;
}
