// Element types of tensors in model files, with their storage geometry. Quantized types store
// blocks of `block_size` elements in `block_bytes` bytes along the innermost dimension.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace linea {

enum class DType : std::uint8_t {
  f32, f16, bf16, f64,
  i8, u8, i16, u16, i32, u32, i64, u64, boolean,
  f8_e4m3, f8_e5m2,
  q4_0, q4_1, q5_0, q5_1, q8_0, q8_1,
  q2_k, q3_k, q4_k, q5_k, q6_k, q8_k,
};

struct DTypeInfo {
  std::string_view name;  // our canonical spelling, e.g. "F16", "Q4_K" (safetensors / ggml spelling)
  std::uint32_t block_size;   // elements per block (1 for plain types)
  std::uint32_t block_bytes;  // bytes per block
  bool quantized;
};

constexpr DTypeInfo dtype_info(DType type) {
  switch (type) {
    case DType::f32: return {"F32", 1, 4, false};
    case DType::f16: return {"F16", 1, 2, false};
    case DType::bf16: return {"BF16", 1, 2, false};
    case DType::f64: return {"F64", 1, 8, false};
    case DType::i8: return {"I8", 1, 1, false};
    case DType::u8: return {"U8", 1, 1, false};
    case DType::i16: return {"I16", 1, 2, false};
    case DType::u16: return {"U16", 1, 2, false};
    case DType::i32: return {"I32", 1, 4, false};
    case DType::u32: return {"U32", 1, 4, false};
    case DType::i64: return {"I64", 1, 8, false};
    case DType::u64: return {"U64", 1, 8, false};
    case DType::boolean: return {"BOOL", 1, 1, false};
    case DType::f8_e4m3: return {"F8_E4M3", 1, 1, false};
    case DType::f8_e5m2: return {"F8_E5M2", 1, 1, false};
    case DType::q4_0: return {"Q4_0", 32, 18, true};
    case DType::q4_1: return {"Q4_1", 32, 20, true};
    case DType::q5_0: return {"Q5_0", 32, 22, true};
    case DType::q5_1: return {"Q5_1", 32, 24, true};
    case DType::q8_0: return {"Q8_0", 32, 34, true};
    case DType::q8_1: return {"Q8_1", 32, 36, true};
    case DType::q2_k: return {"Q2_K", 256, 84, true};
    case DType::q3_k: return {"Q3_K", 256, 110, true};
    case DType::q4_k: return {"Q4_K", 256, 144, true};
    case DType::q5_k: return {"Q5_K", 256, 176, true};
    case DType::q6_k: return {"Q6_K", 256, 210, true};
    case DType::q8_k: return {"Q8_K", 256, 292, true};
  }
  return {"?", 1, 0, false};
}

constexpr std::string_view dtype_name(DType type) { return dtype_info(type).name; }

// Parses our canonical spelling (as dtype_name prints it). std::nullopt for anything else.
std::optional<DType> dtype_from_name(std::string_view name);

}  // namespace linea
