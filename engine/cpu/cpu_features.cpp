#include "engine/cpu/cpu_features.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#if defined(__linux__) && defined(__x86_64__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <cstdint>
#include <cstring>

namespace linea::cpu {

namespace {

#if defined(__x86_64__) || defined(__i386__)

struct Registers {
  std::uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};

Registers cpuid(std::uint32_t leaf, std::uint32_t subleaf) {
  Registers r;
  __cpuid_count(leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx);
  return r;
}

bool bit(std::uint32_t value, int index) { return ((value >> index) & 1u) != 0; }

// XCR0: which register states the OS saves on a context switch. Without them the instructions fault.
std::uint64_t enabled_register_state() {
  std::uint32_t eax = 0, edx = 0;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<std::uint64_t>(edx) << 32) | eax;
}

// Linux keeps the 8 KiB of AMX tile data out of a process's saved state until the process asks for
// it (arch_prctl ARCH_REQ_XCOMP_PERM for XFEATURE_XTILEDATA); a tile instruction before that faults.
bool os_grants_tile_data() {
#if defined(__linux__) && defined(__x86_64__)
  constexpr long kRequestComponentPermission = 0x1023;
  constexpr long kTileDataComponent = 18;
  return syscall(SYS_arch_prctl, kRequestComponentPermission, kTileDataComponent) == 0;
#else
  return false;
#endif
}

CpuFeatures detect() {
  CpuFeatures f;
  const std::uint32_t max_leaf = cpuid(0, 0).eax;
  if (max_leaf < 1) return f;
  const Registers leaf1 = cpuid(1, 0);
  const bool os_saves_avx =
      bit(leaf1.ecx, 27) /* OSXSAVE */ && bit(leaf1.ecx, 28) /* AVX */ && (enabled_register_state() & 0x6) == 0x6;
  if (!os_saves_avx) return f;
  // Opmask, upper ZMM0-15 and ZMM16-31 states (bits 5-7) besides SSE and AVX (bits 1-2).
  const bool os_saves_avx512 = (enabled_register_state() & 0xE6) == 0xE6;
  f.fma = bit(leaf1.ecx, 12);
  f.f16c = bit(leaf1.ecx, 29);
  if (max_leaf >= 7) {
    const Registers leaf7 = cpuid(7, 0);
    f.avx2 = bit(leaf7.ebx, 5);
    f.avx512 = os_saves_avx512 && bit(leaf7.ebx, 16) /* F */ && bit(leaf7.ebx, 17) /* DQ */ &&
               bit(leaf7.ebx, 30) /* BW */ && bit(leaf7.ebx, 31) /* VL */;
    f.avx512_vnni = f.avx512 && bit(leaf7.ecx, 11);
    f.amx = bit(leaf7.edx, 24) /* AMX-TILE */;
    // XTILECFG and XTILEDATA (XCR0 bits 17-18) enabled, then the process's own permission.
    f.amx_bf16 =
        f.amx && bit(leaf7.edx, 22) && (enabled_register_state() & 0x60000) == 0x60000 && os_grants_tile_data();
    if (leaf7.eax >= 1) f.avx512_bf16 = f.avx512 && bit(cpuid(7, 1).eax, 5);
  }
  if (cpuid(0x80000000u, 0).eax >= 0x80000004u) {
    char brand[49] = {};
    for (std::uint32_t i = 0; i < 3; ++i) {
      const Registers r = cpuid(0x80000002u + i, 0);
      std::memcpy(brand + 16 * i, &r, 16);
    }
    f.brand = brand;
    const auto first = f.brand.find_first_not_of(' ');
    f.brand = first == std::string::npos ? std::string() : f.brand.substr(first);
  }
  return f;
}

#else

CpuFeatures detect() { return {}; }

#endif

}  // namespace

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = detect();
  return features;
}

std::string describe(const CpuFeatures& f) {
  std::string text;
  const auto add = [&](bool present, const char* name) {
    if (!present) return;
    if (!text.empty()) text += ' ';
    text += name;
  };
  add(f.avx2, "avx2");
  add(f.fma, "fma");
  add(f.f16c, "f16c");
  add(f.avx512, "avx512");
  add(f.avx512_bf16, "avx512_bf16");
  add(f.avx512_vnni, "avx512_vnni");
  add(f.amx, "amx");
  add(f.amx_bf16, "amx_bf16");
  return text.empty() ? "no SIMD extensions used by Linea" : text;
}

}  // namespace linea::cpu
