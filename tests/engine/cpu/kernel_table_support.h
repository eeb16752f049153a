// Helpers shared by the tests that check every kernel table against the reference.
#pragma once

#include "engine/cpu/cpu_features.h"
#include "engine/cpu/kernels.h"
#include "engine/cpu/simd_kernels.h"

#include <QString>
#include <QTest>

#include <cstring>
#include <random>
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

// Whether two outputs are the same floats bit for bit (sizes included).
inline bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
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
