// The SIMD kernel tables (avx2_kernels.cpp, avx512_kernels.cpp, amx_kernels.cpp). Internal to engine/cpu: the rest of
// the engine reaches them through active_kernels() / find_kernels() in kernels.h, which check the CPU.
#pragma once

#include "engine/cpu/kernels.h"

#include <cstdint>

namespace linea::cpu {

// Thread-local scratch buffers per SIMD table: slots 0–2 for the matrix product, 2–7 for the
// attention family (a kernel never runs inside another on one thread, so slots are not shared live).
constexpr int kSimdScratchSlots = 8;

// The integer products' prefill takes positions in blocks whose quantized activations fit in this
// many bytes, so that they stay in L2 while every row tile of a thread passes over them (on a Xeon
// with 2 MiB of L2 per core). (The float products block by column chunk instead: simd_kernels_impl.h.)
constexpr std::int64_t kPositionBlockBytes = 768 * 1024;

// The table, or null when this build has none for the instruction set (a non-x86 build). Whether
// the CPU can run it is checked by the caller (cpu_features()).
const Kernels* avx2_kernels();
const Kernels* avx512_kernels();
// The avx512 table with BF16 products on AMX tiles (amx_kernels.cpp); the CPU needs has_amx_table().
const Kernels* amx_kernels();

// The integer matrix product for quantized weights with AVX-512 VNNI on 512-bit vectors
// (avx512_vnni_kernels.cpp), or null when not built. The avx512 table uses it when the CPU has VNNI.
using MatmulRows = decltype(Kernels::matmul_rows);
MatmulRows avx512_vnni_integer_matmul_rows();

// The avx512 table's product of F32, F16 and BF16 weights in the float_row_panels layout
// (avx512_float_panels.cpp; the CPU needs AVX-512 F/BW/VL/DQ): matmul_rows, and the entries of its
// ActivationPacking (kernels.h), whose grain is kFloatPanelPackGrain positions.
void avx512_float_panel_matmul_rows(const WeightView& weight, const float* x, std::int64_t positions, float* y,
                                    std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end);
constexpr std::int64_t kFloatPanelPackGrain = 14;
std::int64_t avx512_float_panel_activation_floats(const WeightView& weight, std::int64_t positions);
void avx512_pack_float_panel_activations(const WeightView& weight, const float* x, std::int64_t positions,
                                         std::int64_t begin, std::int64_t end, float* packed);
void avx512_float_panel_matmul_packed_rows(const WeightView& weight, const float* packed, std::int64_t positions,
                                           float* y, std::int64_t rows_total, std::int64_t row_begin,
                                           std::int64_t row_end);

// Whether the SIMD tables multiply Q8_0, Q4_0, Q4_K and Q6_K weights in integers against
// activations quantized to int8 blocks (the default), or widen the weights to f32 as the other
// dtypes are (LINEA_INTEGER_DOT=0 at start-up, or this setter: benchmarks and tests compare both).
bool integer_dot_enabled();
void set_integer_dot_enabled(bool enabled);

// Runs kFmaProbeChains independent chains of vector FMAs `iterations` times (for the roofline's
// peak arithmetic rate); returns a value that depends on every chain. Null when not built.
constexpr int kFmaProbeChains = 12;
using FmaProbe = float (*)(std::int64_t iterations);
FmaProbe avx2_fma_probe();
FmaProbe avx512_fma_probe();

}  // namespace linea::cpu
