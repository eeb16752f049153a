#include "engine/io/quantize.h"

#include "engine/core/float16.h"
#include "engine/io/little_endian.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
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

using BlockFunction = void (*)(const float*, std::byte*);

BlockFunction block_function(DType type) {
  switch (type) {
    case DType::q8_0: return q8_0_block;
    case DType::q4_0: return q4_0_block;
    case DType::q4_1: return q4_1_block;
    case DType::q5_0: return q5_0_block;
    case DType::q5_1: return q5_1_block;
    default: return nullptr;
  }
}

}  // namespace

bool can_quantize(DType type) { return block_function(type) != nullptr; }

void quantize(DType type, std::span<const float> values, std::byte* out) {
  const BlockFunction convert = block_function(type);
  if (convert == nullptr) throw std::invalid_argument("no reference quantizer for " + std::string(dtype_name(type)));
  if (values.size() % kBlock != 0) {
    throw std::invalid_argument(std::to_string(values.size()) + " values are not whole " +
                                std::string(dtype_name(type)) + " blocks of 32");
  }
  const std::uint32_t block_bytes = dtype_info(type).block_bytes;
  for (std::size_t b = 0; b < values.size() / kBlock; ++b) convert(values.data() + b * kBlock, out + b * block_bytes);
}

std::vector<std::byte> quantize(DType type, std::span<const float> values) {
  std::vector<std::byte> out(values.size() / kBlock * dtype_info(type).block_bytes);
  quantize(type, values, out.data());
  return out;
}

}  // namespace linea::io
