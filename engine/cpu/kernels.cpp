#include "engine/cpu/kernels.h"

#include "engine/core/log.h"
#include "engine/cpu/cpu_features.h"
#include "engine/cpu/simd_kernels.h"

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace linea::cpu {

namespace {

constexpr std::string_view kKnownNames[] = {"reference", "avx2", "avx512", "amx"};

std::string usable_names() {
  std::string names;
  for (const Kernels* table : usable_kernels()) names += (names.empty() ? "" : ", ") + std::string(table->name);
  return names;
}

std::atomic<const Kernels*> active{nullptr};

}  // namespace

const Kernels& kernels_for_request(std::string_view requested) {
  if (requested.empty()) return *usable_kernels().back();
  bool known = false;
  for (std::string_view candidate : kKnownNames) known = known || candidate == requested;
  if (!known)
    throw std::invalid_argument("LINEA_KERNELS='" + std::string(requested) +
                                "' names no kernel table; known: reference, avx2, avx512, amx");
  if (const Kernels* table = find_kernels(requested)) return *table;
  const Kernels& fallback = *usable_kernels().back();
  log_message(LogLevel::warning, "LINEA_KERNELS=" + std::string(requested) +
                                     ": this CPU cannot run that table (it has: " + describe(cpu_features()) +
                                     "); using " + std::string(fallback.name) + " (usable: " + usable_names() + ")");
  return fallback;
}

std::vector<const Kernels*> usable_kernels() {
  std::vector<const Kernels*> tables{&reference_kernels()};
  const CpuFeatures& features = cpu_features();
  if (features.has_avx2_table() && avx2_kernels()) tables.push_back(avx2_kernels());
  if (features.has_avx512_table() && avx512_kernels()) tables.push_back(avx512_kernels());
  if (features.has_amx_table() && amx_kernels()) tables.push_back(amx_kernels());
  return tables;
}

const Kernels* find_kernels(std::string_view name) {
  for (const Kernels* table : usable_kernels())
    if (table->name == name) return table;
  return nullptr;
}

const Kernels& active_kernels() {
  const Kernels* table = active.load(std::memory_order_acquire);
  if (table != nullptr) return *table;
  // Racing first calls all compute the same answer; the first store wins.
  const char* requested = std::getenv("LINEA_KERNELS");
  const Kernels* chosen = &kernels_for_request(requested ? requested : "");
  const Kernels* expected = nullptr;
  active.compare_exchange_strong(expected, chosen, std::memory_order_acq_rel);
  return *active.load(std::memory_order_acquire);
}

void set_active_kernels(const Kernels& table) { active.store(&table, std::memory_order_release); }

}  // namespace linea::cpu
