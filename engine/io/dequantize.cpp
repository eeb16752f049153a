#include "engine/io/dequantize.h"

#include "engine/core/float16.h"
#include "engine/io/k_quant_scales.h"
#include "engine/io/little_endian.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace linea::io {
namespace {

float half_at(const std::byte* p) { return fp16_to_f32(load_le<std::uint16_t>(p)); }
std::uint8_t u8_at(const std::byte* p) { return static_cast<std::uint8_t>(*p); }

// Q8_0 {half d; int8 qs[32]}: y = d * q.
void q8_0_block(const std::byte* block, float* y) {
  const float d = half_at(block);
  for (int j = 0; j < 32; ++j) y[j] = static_cast<float>(static_cast<std::int8_t>(u8_at(block + 2 + j))) * d;
}

// Q4_0 {half d; uint8 qs[16]}: low nibbles are elements 0..15, high nibbles 16..31; y = d * (q - 8).
void q4_0_block(const std::byte* block, float* y) {
  const float d = half_at(block);
  const std::byte* qs = block + 2;
  for (int j = 0; j < 16; ++j) {
    y[j] = d * static_cast<float>((u8_at(qs + j) & 0x0F) - 8);
    y[j + 16] = d * static_cast<float>((u8_at(qs + j) >> 4) - 8);
  }
}

// Q4_1 {half d; half m; uint8 qs[16]}: y = d * q + m.
void q4_1_block(const std::byte* block, float* y) {
  const float d = half_at(block);
  const float m = half_at(block + 2);
  const std::byte* qs = block + 4;
  for (int j = 0; j < 16; ++j) {
    y[j] = d * static_cast<float>(u8_at(qs + j) & 0x0F) + m;
    y[j + 16] = d * static_cast<float>(u8_at(qs + j) >> 4) + m;
  }
}

// The fifth bit of element j of a Q5 block is bit j of the little-endian u32 qh.
int q5_value(const std::byte* qs, std::uint32_t qh, int j) {
  const int low = j < 16 ? (u8_at(qs + j) & 0x0F) : (u8_at(qs + j - 16) >> 4);
  return low | static_cast<int>(((qh >> j) & 1u) << 4);
}

// Q5_0 {half d; uint8 qh[4]; uint8 qs[16]}: y = d * (q - 16).
void q5_0_block(const std::byte* block, float* y) {
  const float d = half_at(block);
  const auto qh = load_le<std::uint32_t>(block + 2);
  for (int j = 0; j < 32; ++j) y[j] = d * static_cast<float>(q5_value(block + 6, qh, j) - 16);
}

// Q5_1 {half d; half m; uint8 qh[4]; uint8 qs[16]}: y = d * q + m.
void q5_1_block(const std::byte* block, float* y) {
  const float d = half_at(block);
  const float m = half_at(block + 2);
  const auto qh = load_le<std::uint32_t>(block + 4);
  for (int j = 0; j < 32; ++j) y[j] = d * static_cast<float>(q5_value(block + 8, qh, j)) + m;
}

// Q4_K {half d; half dmin; uint8 scales[12]; uint8 qs[128]}: 8 sub-blocks of 32; sub-block s takes
// the low (even s) or high (odd s) nibbles of qs[32*(s/2) ..]; y = d*scale * q - dmin*min.
void q4_k_block(const std::byte* block, float* y) {
  const float d = half_at(block);
  const float dmin = half_at(block + 2);
  const KQuantScales scales = unpack_k_quant_scales(block + 4);
  const std::byte* qs = block + 16;
  for (int s = 0; s < 8; ++s) {
    const float ds = d * static_cast<float>(scales.scale[s]);
    const float dm = dmin * static_cast<float>(scales.min[s]);
    const std::byte* q = qs + 32 * (s / 2);
    const int shift = (s % 2) * 4;
    for (int l = 0; l < 32; ++l) y[32 * s + l] = ds * static_cast<float>((u8_at(q + l) >> shift) & 0x0F) - dm;
  }
}

// Q5_K {half d; half dmin; uint8 scales[12]; uint8 qh[32]; uint8 qs[128]}: as Q4_K, plus bit s of
// qh[l] as the fifth bit of element l of sub-block s.
void q5_k_block(const std::byte* block, float* y) {
  const float d = half_at(block);
  const float dmin = half_at(block + 2);
  const KQuantScales scales = unpack_k_quant_scales(block + 4);
  const std::byte* qh = block + 16;
  const std::byte* qs = block + 48;
  for (int s = 0; s < 8; ++s) {
    const float ds = d * static_cast<float>(scales.scale[s]);
    const float dm = dmin * static_cast<float>(scales.min[s]);
    const std::byte* q = qs + 32 * (s / 2);
    const int shift = (s % 2) * 4;
    for (int l = 0; l < 32; ++l) {
      const int value = ((u8_at(q + l) >> shift) & 0x0F) | (((u8_at(qh + l) >> s) & 1) << 4);
      y[32 * s + l] = ds * static_cast<float>(value) - dm;
    }
  }
}

// Q6_K {uint8 ql[128]; uint8 qh[64]; int8 scales[16]; half d}: two halves of 128; y = d*scale * (q - 32).
void q6_k_block(const std::byte* block, float* y) {
  const float d = half_at(block + 208);
  for (int half = 0; half < 2; ++half) {
    const std::byte* ql = block + 64 * half;
    const std::byte* qh = block + 128 + 32 * half;
    const std::byte* sc = block + 192 + 8 * half;
    float* out = y + 128 * half;
    const auto scale = [&](int i) { return d * static_cast<float>(static_cast<std::int8_t>(u8_at(sc + i))); };
    for (int l = 0; l < 32; ++l) {
      const int is = l / 16;
      const int h = u8_at(qh + l);
      const int q1 = ((u8_at(ql + l) & 0x0F) | (((h >> 0) & 3) << 4)) - 32;
      const int q2 = ((u8_at(ql + l + 32) & 0x0F) | (((h >> 2) & 3) << 4)) - 32;
      const int q3 = ((u8_at(ql + l) >> 4) | (((h >> 4) & 3) << 4)) - 32;
      const int q4 = ((u8_at(ql + l + 32) >> 4) | (((h >> 6) & 3) << 4)) - 32;
      out[l] = scale(is + 0) * static_cast<float>(q1);
      out[l + 32] = scale(is + 2) * static_cast<float>(q2);
      out[l + 64] = scale(is + 4) * static_cast<float>(q3);
      out[l + 96] = scale(is + 6) * static_cast<float>(q4);
    }
  }
}

using BlockFunction = void (*)(const std::byte*, float*);

BlockFunction block_function(DType type) {
  switch (type) {
    case DType::q8_0: return q8_0_block;
    case DType::q4_0: return q4_0_block;
    case DType::q4_1: return q4_1_block;
    case DType::q5_0: return q5_0_block;
    case DType::q5_1: return q5_1_block;
    case DType::q4_k: return q4_k_block;
    case DType::q5_k: return q5_k_block;
    case DType::q6_k: return q6_k_block;
    default: return nullptr;
  }
}

}  // namespace

bool can_convert_to_f32(DType type) {
  return type == DType::f32 || type == DType::f16 || type == DType::bf16 || type == DType::f64 ||
         block_function(type) != nullptr;
}

void dequantize(DType type, const std::byte* source, std::size_t n_elements, float* out) {
  switch (type) {
    case DType::f32: std::memcpy(out, source, n_elements * sizeof(float)); return;
    case DType::f16:
      for (std::size_t i = 0; i < n_elements; ++i) out[i] = half_at(source + 2 * i);
      return;
    case DType::bf16:
      for (std::size_t i = 0; i < n_elements; ++i) out[i] = bf16_to_f32(load_le<std::uint16_t>(source + 2 * i));
      return;
    case DType::f64:
      for (std::size_t i = 0; i < n_elements; ++i) out[i] = static_cast<float>(load_le<double>(source + 8 * i));
      return;
    default: break;
  }
  const BlockFunction convert = block_function(type);
  if (convert == nullptr)
    throw std::invalid_argument("cannot convert " + std::string(dtype_name(type)) + " values to float32");
  const DTypeInfo info = dtype_info(type);
  if (n_elements % info.block_size != 0) {
    throw std::invalid_argument(std::to_string(n_elements) + " elements are not whole " + std::string(info.name) +
                                " blocks of " + std::to_string(info.block_size));
  }
  for (std::size_t b = 0; b < n_elements / info.block_size; ++b)
    convert(source + b * info.block_bytes, out + b * info.block_size);
}

std::int64_t row_length(const TensorInfo& tensor) { return tensor.shape.empty() ? 1 : tensor.shape.back(); }

std::int64_t row_count(const TensorInfo& tensor) {
  const std::int64_t length = row_length(tensor);
  return length == 0 ? 0 : tensor.element_count() / length;
}

std::vector<float> to_f32(const TensorInfo& tensor) { return to_f32_rows(tensor, 0, row_count(tensor)); }

std::vector<float> to_f32_rows(const TensorInfo& tensor, std::int64_t first_row, std::int64_t count) {
  if (!can_convert_to_f32(tensor.dtype)) {
    throw std::invalid_argument("tensor '" + tensor.name + "' is " + std::string(dtype_name(tensor.dtype)) +
                                ", which cannot be converted to float32");
  }
  const std::int64_t rows = row_count(tensor);
  if (first_row < 0 || count < 0 || first_row > rows || count > rows - first_row) {
    throw std::out_of_range("tensor '" + tensor.name + "': rows [" + std::to_string(first_row) + ", " +
                            std::to_string(first_row + count) + ") are outside its " + std::to_string(rows) + " rows");
  }
  const DTypeInfo info = dtype_info(tensor.dtype);
  const auto length = static_cast<std::size_t>(row_length(tensor));
  const std::size_t row_bytes = length / info.block_size * info.block_bytes;
  std::vector<float> out(static_cast<std::size_t>(count) * length);
  if (!out.empty())
    dequantize(tensor.dtype, tensor.data + static_cast<std::size_t>(first_row) * row_bytes, out.size(), out.data());
  return out;
}

}  // namespace linea::io
