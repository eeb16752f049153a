// The switch between the SIMD tables' integer product for quantized weights and their f32 widening
// (simd_kernels.h): on unless LINEA_INTEGER_DOT is 0, off or false at start-up.
#include "engine/cpu/simd_kernels.h"

#include <atomic>
#include <cstdlib>
#include <string_view>

namespace linea::cpu {

namespace {

bool enabled_at_start() {
  const char* value = std::getenv("LINEA_INTEGER_DOT");
  if (value == nullptr) return true;
  const std::string_view text(value);
  return !(text == "0" || text == "off" || text == "false");
}

std::atomic<bool>& enabled() {
  static std::atomic<bool> flag{enabled_at_start()};
  return flag;
}

}  // namespace

bool integer_dot_enabled() { return enabled().load(std::memory_order_relaxed); }
void set_integer_dot_enabled(bool on) { enabled().store(on, std::memory_order_relaxed); }

}  // namespace linea::cpu
