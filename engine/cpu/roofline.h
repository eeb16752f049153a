// This machine's limits, measured in-process for `linea-cli bench --roofline`: memory bandwidth
// (a STREAM-style triad over arrays far larger than the caches, on every pool thread) and peak f32
// arithmetic (independent fused multiply-adds with the widest vectors the active kernel table uses).
#pragma once

#include "engine/cpu/thread_pool.h"

#include <cstddef>

namespace linea::cpu {

// Best of `repeats` triads a[i] = b[i] + s·c[i] over three arrays of `array_bytes` each, counted
// as STREAM does (12 bytes per float element: two reads and one write). GB/s = 1e9 bytes/s.
double measure_bandwidth_gb_s(ThreadPool& pool, std::size_t array_bytes = std::size_t{512} << 20, int repeats = 5);

// Best of `repeats` runs of FMA chains on every pool thread, in GFLOP/s (one FMA = 2 FLOPs), with
// the vector width of the active kernel table (16 lanes for avx512, 8 for avx2, 4 for reference).
double measure_peak_gflop_s(ThreadPool& pool, int repeats = 5);

}  // namespace linea::cpu
