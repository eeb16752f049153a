// Helpers shared by the tests that check every kernel table against the reference.
#pragma once

#include "engine/core/float16.h"
#include "engine/cpu/cpu_features.h"
#include "engine/cpu/kernels.h"
#include "engine/cpu/ops.h"
#include "engine/cpu/simd_kernels.h"
#include "engine/cpu/thread_pool.h"
#include "engine/io/dequantize.h"
#include "engine/io/quantize.h"

#include <QString>
#include <QTest>

#include <cmath>
#include <cstring>
#include <initializer_list>
#include <random>
#include <string_view>
#include <utility>
#include <vector>

namespace linea::test {

inline std::vector<float> random_values(std::size_t n, std::uint32_t seed, float low = -1.0f, float high = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(low, high);
  std::vector<float> out(n);
  for (float& v : out) v = dist(rng);
  return out;
}

inline constexpr const char* kTableNames[] = {"reference", "avx2", "avx512", "amx"};

// Test rows "table" (QString) × "integer" (bool, the integer product on or off) for a data function:
// every table with both settings but the reference, which has no integer product.
inline void add_table_integer_rows() {
  QTest::addColumn<QString>("table");
  QTest::addColumn<bool>("integer");
  for (const char* table : kTableNames)
    for (const bool integer : {true, false})
      if (integer || std::string_view(table) != "reference")
        QTest::addRow("%s %s", table, integer ? "integer" : "f32") << QString(table) << integer;
}

// Whether two outputs are the same floats bit for bit (sizes included).
inline bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// Weights stored as `dtype`, `misalign` bytes into their buffer, and what they decode to.
struct StoredWeights {
  std::vector<std::byte> bytes;
  std::vector<float> values;
  cpu::WeightView view;
};

inline std::vector<std::byte> encode(DType dtype, const std::vector<float>& values) {
  std::vector<std::byte> encoded;
  if (dtype == DType::f32) {
    encoded.resize(values.size() * 4);
    std::memcpy(encoded.data(), values.data(), encoded.size());
  } else if (dtype == DType::f16 || dtype == DType::bf16) {
    encoded.resize(values.size() * 2);
    for (std::size_t i = 0; i < values.size(); ++i) {
      const std::uint16_t h = dtype == DType::f16 ? f32_to_fp16(values[i]) : f32_to_bf16(values[i]);
      std::memcpy(encoded.data() + 2 * i, &h, 2);
    }
  } else {
    encoded = io::quantize(dtype, values);
  }
  return encoded;
}

// Random weights whose rows have different magnitudes, so a kernel that mixed up rows would show.
inline StoredWeights store(DType dtype, std::int64_t rows, std::int64_t cols, std::uint32_t seed,
                           std::size_t misalign = 0) {
  std::vector<float> original = random_values(static_cast<std::size_t>(rows * cols), seed);
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t c = 0; c < cols; ++c) original[r * cols + c] *= 0.25f + static_cast<float>(r % 5);
  const std::vector<std::byte> encoded = encode(dtype, original);
  StoredWeights w;
  w.bytes.resize(encoded.size() + misalign);
  std::memcpy(w.bytes.data() + misalign, encoded.data(), encoded.size());
  w.values.resize(original.size());
  io::dequantize(dtype, w.bytes.data() + misalign, original.size(), w.values.data());
  w.view = cpu::WeightView{dtype, rows, cols, w.bytes.data() + misalign};
  return w;
}

// y = W·x for `positions` rows of x on a pool of `threads` threads, with the active table.
inline std::vector<float> product(const cpu::WeightView& w, const std::vector<float>& x, std::int64_t positions,
                                  int threads) {
  std::vector<float> y(static_cast<std::size_t>(positions * w.rows));
  cpu::ThreadPool pool(threads);
  cpu::matmul(pool, w, x, positions, y);
  return y;
}

// The reference table's product of w for `positions` rows of x (its rows, one thread).
inline std::vector<float> reference_product(const cpu::WeightView& w, const std::vector<float>& x,
                                            std::int64_t positions) {
  std::vector<float> y(static_cast<std::size_t>(positions * w.rows));
  cpu::reference_kernels().matmul_rows(w, x.data(), positions, y.data(), w.rows, 0, w.rows);
  return y;
}

// Activations in blocks of 32 at scales far apart (one block in 11 zero), so a product's terms span
// many exponents.
inline std::vector<float> spread_activations(std::int64_t positions, std::int64_t cols, std::uint32_t seed) {
  std::vector<float> x = random_values(static_cast<std::size_t>(positions * cols), seed, -2.0f, 2.0f);
  constexpr float kBlockScales[] = {1.0f, 0.5f, 0.03f, 1e-3f, 0.2f, 0.0f, 0.7f, 0.01f, 2.0f, 0.1f, 1e-6f};
  for (std::size_t i = 0; i < x.size(); ++i) x[i] *= kBlockScales[(i / 32) % std::size(kBlockScales)];
  return x;
}

// Where y (`threads` threads) leaves the f32 tolerance around the reference's `expected`:
// |y − y_ref| ≤ 1e-5 · Σ_i |W[o][i]·x[t][i]| (the same products, added in another order). Empty when
// every output is within it.
inline QString f32_tolerance_failure(const StoredWeights& w, const std::vector<float>& x, std::int64_t positions,
                                     const std::vector<float>& expected, const std::vector<float>& y, int threads) {
  const std::int64_t rows = w.view.rows, cols = w.view.cols;
  for (std::int64_t t = 0; t < positions; ++t)
    for (std::int64_t o = 0; o < rows; ++o) {
      double magnitude = 0;
      for (std::int64_t i = 0; i < cols; ++i)
        magnitude += std::abs(double(w.values[static_cast<std::size_t>(o * cols + i)]) *
                              x[static_cast<std::size_t>(t * cols + i)]);
      const auto at = static_cast<std::size_t>(t * rows + o);
      const double error = std::abs(double(y[at]) - expected[at]);
      if (!(error <= 1e-5 * magnitude))
        return QString("%1 threads: y[%2][%3] = %4, reference %5 (error %6, bound %7)")
            .arg(threads)
            .arg(t)
            .arg(o)
            .arg(y[at], 0, 'g', 9)
            .arg(expected[at], 0, 'g', 9)
            .arg(error)
            .arg(1e-5 * magnitude);
    }
  return {};
}

// Where matmul_rows of `w` over each row range differs from the whole product `together`: each row
// of the range must be the same bits, and nothing outside it may be written. Empty when none does.
inline QString row_range_failure(const cpu::WeightView& w, const std::vector<float>& x, std::int64_t positions,
                                 const std::vector<float>& together,
                                 std::initializer_list<std::pair<std::int64_t, std::int64_t>> ranges) {
  const std::int64_t rows = w.rows;
  for (const auto& [begin, end] : ranges) {
    std::vector<float> y(together.size(), -1.0f);
    cpu::matmul_rows(w, x, positions, y, begin, end);
    for (std::int64_t t = 0; t < positions; ++t)
      for (std::int64_t o = 0; o < rows; ++o) {
        const auto at = static_cast<std::size_t>(t * rows + o);
        const float want = o >= begin && o < end ? together[at] : -1.0f;
        if (std::memcmp(&y[at], &want, sizeof(float)) != 0)
          return QString("rows [%1, %2): y[%3][%4] = %5, expected %6")
              .arg(begin)
              .arg(end)
              .arg(t)
              .arg(o)
              .arg(y[at], 0, 'g', 9)
              .arg(want, 0, 'g', 9);
      }
  }
  return {};
}

// Makes a table active for one scope and restores the previous one afterwards.
class ActiveTable {
 public:
  explicit ActiveTable(const cpu::Kernels& table) : previous_(cpu::active_kernels()) { cpu::set_active_kernels(table); }
  ~ActiveTable() { cpu::set_active_kernels(previous_); }
  ActiveTable(const ActiveTable&) = delete;
  ActiveTable& operator=(const ActiveTable&) = delete;

 private:
  const cpu::Kernels& previous_;
};

// Switches the SIMD tables' integer product for quantized weights on or off for one scope.
class IntegerDot {
 public:
  explicit IntegerDot(bool enabled) : previous_(cpu::integer_dot_enabled()) { cpu::set_integer_dot_enabled(enabled); }
  ~IntegerDot() { cpu::set_integer_dot_enabled(previous_); }
  IntegerDot(const IntegerDot&) = delete;
  IntegerDot& operator=(const IntegerDot&) = delete;

 private:
  bool previous_;
};

}  // namespace linea::test

// The table called `name` (a QString), or a skip saying this CPU lacks it.
#define REQUIRE_TABLE(name, table)                                                   \
  const linea::cpu::Kernels* table = linea::cpu::find_kernels((name).toStdString()); \
  if (table == nullptr)                                                              \
    QSKIP(qPrintable(QString("this CPU cannot run the %1 kernels (it has: %2)")      \
                         .arg(name, QString::fromStdString(linea::cpu::describe(linea::cpu::cpu_features())))));
