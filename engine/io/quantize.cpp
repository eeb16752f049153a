#include "engine/io/quantize.h"

#include "engine/core/float16.h"
#include "engine/io/k_quant_scales.h"
#include "engine/io/little_endian.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace linea::io {
namespace {

constexpr int kBlock = 32;

void put_half(std::byte* at, float value) { store_le<std::uint16_t>(at, f32_to_fp16(value)); }

// The value of largest magnitude, keeping its sign (the first one on ties, as ggml does).
float signed_absolute_max(const float* x) {
  float amax = 0.0f, max = 0.0f;
  for (int j = 0; j < kBlock; ++j) {
    if (amax < std::fabs(x[j])) {
      amax = std::fabs(x[j]);
      max = x[j];
    }
  }
  return max;
}

// Q8_0: d = max|x| / 127, q = round(x / d) (half away from zero).
void q8_0_block(const float* x, std::byte* block) {
  float amax = 0.0f;
  for (int j = 0; j < kBlock; ++j) amax = std::max(amax, std::fabs(x[j]));
  const float d = amax / 127.0f;
  const float id = d != 0.0f ? 1.0f / d : 0.0f;
  put_half(block, d);
  for (int j = 0; j < kBlock; ++j)
    block[2 + j] = static_cast<std::byte>(static_cast<std::int8_t>(std::round(x[j] * id)));
}

// Q4_0: d = (signed max) / -8, q = min(15, trunc(x / d + 8.5)).
void q4_0_block(const float* x, std::byte* block) {
  const float d = signed_absolute_max(x) / -8.0f;
  const float id = d != 0.0f ? 1.0f / d : 0.0f;
  put_half(block, d);
  for (int j = 0; j < 16; ++j) {
    const auto low = std::min<int>(15, static_cast<std::int8_t>(x[j] * id + 8.5f));
    const auto high = std::min<int>(15, static_cast<std::int8_t>(x[j + 16] * id + 8.5f));
    block[2 + j] = static_cast<std::byte>(low | (high << 4));
  }
}

// Q4_1: d = (max - min) / 15, m = min, q = min(15, trunc((x - min) / d + 0.5)).
void q4_1_block(const float* x, std::byte* block) {
  const auto [min, max] = std::minmax_element(x, x + kBlock);
  const float d = (*max - *min) / 15.0f;
  const float id = d != 0.0f ? 1.0f / d : 0.0f;
  put_half(block, d);
  put_half(block + 2, *min);
  for (int j = 0; j < 16; ++j) {
    const auto low = std::min<int>(15, static_cast<std::int8_t>((x[j] - *min) * id + 0.5f));
    const auto high = std::min<int>(15, static_cast<std::int8_t>((x[j + 16] - *min) * id + 0.5f));
    block[4 + j] = static_cast<std::byte>(low | (high << 4));
  }
}

// Packs 32 five-bit values: low nibbles as Q4 does, fifth bits into a little-endian u32.
void pack_q5(const int* q, std::byte* qh_at, std::byte* qs) {
  std::uint32_t qh = 0;
  for (int j = 0; j < 16; ++j) {
    qs[j] = static_cast<std::byte>((q[j] & 0x0F) | ((q[j + 16] & 0x0F) << 4));
    qh |= static_cast<std::uint32_t>((q[j] >> 4) & 1) << j;
    qh |= static_cast<std::uint32_t>((q[j + 16] >> 4) & 1) << (j + 16);
  }
  store_le(qh_at, qh);
}

// Q5_0: d = (signed max) / -16, q = min(31, trunc(x / d + 16.5)).
void q5_0_block(const float* x, std::byte* block) {
  const float d = signed_absolute_max(x) / -16.0f;
  const float id = d != 0.0f ? 1.0f / d : 0.0f;
  int q[kBlock];
  for (int j = 0; j < kBlock; ++j) q[j] = std::min<int>(31, static_cast<std::int8_t>(x[j] * id + 16.5f));
  put_half(block, d);
  pack_q5(q, block + 2, block + 6);
}

// Q5_1: d = (max - min) / 31, m = min, q = min(31, trunc((x - min) / d + 0.5)).
void q5_1_block(const float* x, std::byte* block) {
  const auto [min, max] = std::minmax_element(x, x + kBlock);
  const float d = (*max - *min) / 31.0f;
  const float id = d != 0.0f ? 1.0f / d : 0.0f;
  int q[kBlock];
  for (int j = 0; j < kBlock; ++j) q[j] = std::min<int>(31, static_cast<std::int8_t>((x[j] - *min) * id + 0.5f));
  put_half(block, d);
  put_half(block + 2, *min);
  pack_q5(q, block + 4, block + 8);
}

// --- K-quants (256 values per block). Our own quantizers for ggml's block layouts: a small search
// for the best scale per sub-block, then the sub-block scales quantized against one fp16 scale per
// block. Not bit-identical to ggml's quantize_row_q*_K_ref (gguf-py has no K-quant quantizer to
// compare with); tests check that the blocks decode through io::dequantize within a step.

constexpr int kSuper = 256;

// std::lround (half away from zero) without the library call, which took a sixth of the K-quant
// quantizers' time: a float plus 0.5 is exact in double wherever the sum can reach the next integer,
// so truncating it gives the same integer.
int nearest(float value) {
  const double v = value;
  return static_cast<int>(v >= 0 ? v + 0.5 : v - 0.5);
}

// Importance of each value when choosing a sub-block's scale: large magnitudes matter more, as in
// ggml's reference quantizers (rms of the block plus |x|).
void importance(const float* x, float* weight) {
  double squares = 0;
  for (int i = 0; i < kSuper; ++i) squares += static_cast<double>(x[i]) * x[i];
  const auto rms = static_cast<float>(std::sqrt(squares / kSuper));
  for (int i = 0; i < kSuper; ++i) weight[i] = rms + std::fabs(x[i]);
}

// Fits x ≈ scale·q − offset with q in [0, levels] (offset ≥ 0: the sub-block's minimum is at most 0),
// minimising Σ weight·error². Tries 21 grid spacings around (max − min) / levels and refits scale
// and offset by least squares for each rounding, keeping the best.
void fit_scale_offset(const float* x, const float* weight, int n, int levels, float& scale, float& offset) {
  float low = std::min(0.0f, *std::min_element(x, x + n));
  const float high = *std::max_element(x, x + n);
  if (high <= low) {
    scale = 0.0f;
    offset = -low;
    return;
  }
  float best_error = std::numeric_limits<float>::max();
  scale = (high - low) / static_cast<float>(levels);
  offset = -low;
  int q[32];
  for (int step = -10; step <= 10; ++step) {
    const float inverse = (static_cast<float>(levels) + 0.1f * static_cast<float>(step)) / (high - low);
    double sw = 0, swq = 0, swqq = 0, swx = 0, swqx = 0;
    for (int i = 0; i < n; ++i) {
      q[i] = std::clamp(nearest(inverse * (x[i] - low)), 0, levels);
      const double w = weight[i];
      sw += w, swq += w * q[i], swqq += w * q[i] * q[i], swx += w * x[i], swqx += w * q[i] * x[i];
    }
    // Least squares for x ≈ a·q + b, then b clamped to ≤ 0 (refitting a alone when clamped).
    const double det = sw * swqq - swq * swq;
    if (det <= 0) continue;
    double a = (sw * swqx - swq * swx) / det, b = (swqq * swx - swq * swqx) / det;
    if (b > 0) {
      b = 0;
      a = swqq > 0 ? swqx / swqq : 0;
    }
    if (a <= 0) continue;
    float error = 0;
    for (int i = 0; i < n; ++i) {
      const float diff = static_cast<float>(a * q[i] + b) - x[i];
      error += weight[i] * diff * diff;
    }
    if (error < best_error) {
      best_error = error;
      scale = static_cast<float>(a);
      offset = static_cast<float>(-b);
    }
  }
}

// Q4_K {half d; half dmin; uint8 scales[12]; uint8 qs[128]}: y = d·sc·q − dmin·m per sub-block of 32.
void q4_k_block(const float* x, std::byte* block) {
  float weight[kSuper], scales[8], offsets[8];
  importance(x, weight);
  for (int s = 0; s < 8; ++s) fit_scale_offset(x + 32 * s, weight + 32 * s, 32, 15, scales[s], offsets[s]);
  const float max_scale = *std::max_element(scales, scales + 8), max_offset = *std::max_element(offsets, offsets + 8);
  // The 6-bit codes against fp16 block scales, rounded as they will be read back.
  const float d = fp16_to_f32(f32_to_fp16(max_scale / 63.0f)), dmin = fp16_to_f32(f32_to_fp16(max_offset / 63.0f));
  int sc[8], m[8];
  for (int s = 0; s < 8; ++s) {
    sc[s] = d > 0 ? std::clamp(nearest(scales[s] / d), 0, 63) : 0;
    m[s] = dmin > 0 ? std::clamp(nearest(offsets[s] / dmin), 0, 63) : 0;
  }
  put_half(block, d);
  put_half(block + 2, dmin);
  KQuantScales packed;
  for (int j = 0; j < 8; ++j) {
    packed.scale[j] = static_cast<std::uint8_t>(sc[j]);
    packed.min[j] = static_cast<std::uint8_t>(m[j]);
  }
  pack_k_quant_scales(packed, block + 4);
  std::byte* qs = block + 16;
  for (int i = 0; i < 128; ++i) qs[i] = std::byte{0};
  for (int s = 0; s < 8; ++s) {
    const float step = d * static_cast<float>(sc[s]), low = dmin * static_cast<float>(m[s]);
    for (int l = 0; l < 32; ++l) {
      const int q = step > 0 ? std::clamp(nearest((x[32 * s + l] + low) / step), 0, 15) : 0;
      qs[32 * (s / 2) + l] |= static_cast<std::byte>(q << ((s % 2) * 4));
    }
  }
}

// Fits x ≈ scale·q with q in [−32, 31] over 16 values, minimising Σ x²·error² (large values matter
// most); the scale may be negative so the largest magnitude can use −32.
float fit_signed_scale(const float* x) {
  float amax = 0, signed_max = 0;
  for (int i = 0; i < 16; ++i)
    if (std::fabs(x[i]) > amax) amax = std::fabs(x[i]), signed_max = x[i];
  if (amax == 0) return 0.0f;
  float best_scale = signed_max / -32.0f, best_error = std::numeric_limits<float>::max();
  for (int step = -9; step <= 9; ++step) {
    const float inverse = (-32.0f + 0.1f * static_cast<float>(step)) / signed_max;
    double sxq = 0, sqq = 0;
    int q[16];
    for (int i = 0; i < 16; ++i) {
      q[i] = std::clamp(nearest(inverse * x[i]), -32, 31);
      const double w = static_cast<double>(x[i]) * x[i];
      sxq += w * x[i] * q[i], sqq += w * q[i] * q[i];
    }
    if (sqq <= 0) continue;
    const auto scale = static_cast<float>(sxq / sqq);
    float error = 0;
    for (int i = 0; i < 16; ++i) {
      const float diff = scale * static_cast<float>(q[i]) - x[i];
      error += x[i] * x[i] * diff * diff;
    }
    if (error < best_error) best_error = error, best_scale = scale;
  }
  return best_scale;
}

// Q6_K {uint8 ql[128]; uint8 qh[64]; int8 scales[16]; half d}: y = d·sc·(q − 32) per sub-block of 16.
void q6_k_block(const float* x, std::byte* block) {
  float scales[16];
  float max_abs = 0;
  for (int s = 0; s < 16; ++s) {
    scales[s] = fit_signed_scale(x + 16 * s);
    max_abs = std::max(max_abs, std::fabs(scales[s]));
  }
  const float d = fp16_to_f32(f32_to_fp16(max_abs / 127.0f));
  int sc[16], q[kSuper];
  for (int s = 0; s < 16; ++s) {
    sc[s] = d > 0 ? std::clamp(nearest(scales[s] / d), -127, 127) : 0;
    const float step = d * static_cast<float>(sc[s]);
    for (int l = 0; l < 16; ++l)
      q[16 * s + l] = step != 0 ? std::clamp(nearest(x[16 * s + l] / step), -32, 31) + 32 : 32;
  }
  for (int half = 0; half < 2; ++half) {
    std::byte* ql = block + 64 * half;
    std::byte* qh = block + 128 + 32 * half;
    const int* h = q + 128 * half;
    for (int l = 0; l < 32; ++l) {
      const int q1 = h[l], q2 = h[l + 32], q3 = h[l + 64], q4 = h[l + 96];
      ql[l] = static_cast<std::byte>((q1 & 0x0F) | ((q3 & 0x0F) << 4));
      ql[l + 32] = static_cast<std::byte>((q2 & 0x0F) | ((q4 & 0x0F) << 4));
      qh[l] = static_cast<std::byte>((q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6));
    }
  }
  for (int s = 0; s < 16; ++s) block[192 + s] = static_cast<std::byte>(static_cast<std::int8_t>(sc[s]));
  put_half(block + 208, d);
}

using BlockFunction = void (*)(const float*, std::byte*);

BlockFunction block_function(DType type) {
  switch (type) {
    case DType::q8_0: return q8_0_block;
    case DType::q4_0: return q4_0_block;
    case DType::q4_1: return q4_1_block;
    case DType::q5_0: return q5_0_block;
    case DType::q5_1: return q5_1_block;
    case DType::q4_k: return q4_k_block;
    case DType::q6_k: return q6_k_block;
    default: return nullptr;
  }
}

}  // namespace

bool can_quantize(DType type) { return block_function(type) != nullptr; }

void quantize(DType type, std::span<const float> values, std::byte* out) {
  const BlockFunction convert = block_function(type);
  if (convert == nullptr) throw std::invalid_argument("no reference quantizer for " + std::string(dtype_name(type)));
  const DTypeInfo info = dtype_info(type);
  if (values.size() % info.block_size != 0) {
    throw std::invalid_argument(std::to_string(values.size()) + " values are not whole " +
                                std::string(dtype_name(type)) + " blocks of " + std::to_string(info.block_size));
  }
  for (std::size_t b = 0; b < values.size() / info.block_size; ++b)
    convert(values.data() + b * info.block_size, out + b * info.block_bytes);
}

std::optional<DType> quantized_type_for(const TensorInfo& tensor, DType target) {
  const bool float_type = tensor.dtype == DType::f32 || tensor.dtype == DType::f16 || tensor.dtype == DType::bf16 ||
                          tensor.dtype == DType::f64;
  if (!float_type || tensor.shape.size() != 2 || tensor.shape[0] < 2 || !can_quantize(target)) return std::nullopt;
  const std::int64_t cols = tensor.shape[1];
  if (cols > 0 && cols % dtype_info(target).block_size == 0) return target;
  if (cols > 0 && cols % kBlock == 0) return DType::q8_0;
  return std::nullopt;
}

std::vector<std::byte> quantize(DType type, std::span<const float> values) {
  const DTypeInfo info = dtype_info(type);
  std::vector<std::byte> out(values.size() / info.block_size * info.block_bytes);
  quantize(type, values, out.data());
  return out;
}

}  // namespace linea::io
