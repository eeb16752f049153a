// What this x86-64 CPU (and the operating system, which must save the wide registers) can run, read
// once from CPUID and XGETBV. On other architectures every flag is false and only the reference
// kernels are used.
#pragma once

#include <string>

namespace linea::cpu {

struct CpuFeatures {
  bool avx2 = false;  // with FMA and F16C: what the avx2 table needs
  bool fma = false;
  bool f16c = false;
  bool avx512 = false;  // F + BW + VL + DQ with ZMM state enabled: what the avx512 table needs
  bool avx512_bf16 = false;
  bool avx512_vnni = false;
  bool amx = false;       // AMX tiles
  bool amx_bf16 = false;  // AMX bf16 dot products, with the tile data state granted by the OS
  std::string brand;      // e.g. "AMD Ryzen 9 9950X 16-Core Processor", empty when unknown

  bool has_avx2_table() const { return avx2 && fma && f16c; }
  bool has_avx512_table() const { return has_avx2_table() && avx512; }
  bool has_amx_table() const { return has_avx512_table() && avx512_bf16 && amx_bf16; }
};

const CpuFeatures& cpu_features();

// One line for logs and `bench`, e.g. "avx2 fma f16c avx512 avx512_bf16 avx512_vnni".
std::string describe(const CpuFeatures& features);

}  // namespace linea::cpu
