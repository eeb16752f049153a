// The vocabulary of GGUF v3 (model-spec §6.2) shared by the reader and the writer: metadata value
// types, the metadata value itself, and the table of ggml tensor type ids.
#pragma once

#include "engine/core/dtype.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace linea::io {

inline constexpr std::uint32_t kGgufMagic = 0x46554747;  // the bytes "GGUF" read as a little-endian u32
inline constexpr std::uint32_t kGgufVersion = 3;
inline constexpr std::uint32_t kGgufDefaultAlignment = 32;
inline constexpr std::size_t kGgufMaxTensorNameBytes = 63;  // ggml's GGML_MAX_NAME (64) minus the NUL
inline constexpr std::size_t kGgufMaxDims = 4;

// Metadata value type ids as stored in the file.
enum class GgufType : std::uint32_t {
  u8 = 0,
  i8 = 1,
  u16 = 2,
  i16 = 3,
  u32 = 4,
  i32 = 5,
  f32 = 6,
  boolean = 7,
  string = 8,
  array = 9,
  u64 = 10,
  i64 = 11,
  f64 = 12,
};

// "UINT32", "STRING", ... (gguf's own spelling); "type 42" for an unknown id.
std::string gguf_type_name(std::uint32_t type_id);
inline std::string gguf_type_name(GgufType type) { return gguf_type_name(static_cast<std::uint32_t>(type)); }

struct GgufArray;

// The elements of an array, stored compactly by element type. The alternatives are in type-id
// order: items.index() == the element GgufType id (bool arrays as std::vector<bool>).
using GgufArrayItems =
    std::variant<std::vector<std::uint8_t>, std::vector<std::int8_t>, std::vector<std::uint16_t>,
                 std::vector<std::int16_t>, std::vector<std::uint32_t>, std::vector<std::int32_t>, std::vector<float>,
                 std::vector<bool>, std::vector<std::string>, std::vector<GgufArray>, std::vector<std::uint64_t>,
                 std::vector<std::int64_t>, std::vector<double>>;

// An array holds values of one element type; arrays of arrays nest (each inner array has its own type).
struct GgufArray {
  GgufArrayItems items;

  GgufType element_type() const { return static_cast<GgufType>(items.index()); }
  std::size_t size() const;
  template <typename T>
  const std::vector<T>* get_if() const {
    return std::get_if<std::vector<T>>(&items);
  }

  bool operator==(const GgufArray&) const = default;
};

// One metadata value. The alternatives are in type-id order: value.index() == the GgufType id.
struct GgufValue {
  using Variant = std::variant<std::uint8_t, std::int8_t, std::uint16_t, std::int16_t, std::uint32_t, std::int32_t,
                               float, bool, std::string, GgufArray, std::uint64_t, std::int64_t, double>;
  Variant value;

  GgufValue() = default;
  template <typename T>
  requires std::is_constructible_v<Variant, T> GgufValue(T v)
      : value(std::move(v)) {}  // implicit on purpose: GgufValue(std::uint32_t{32})
  GgufValue(const char* text) : value(std::string(text)) {}
  template <typename T>
  GgufValue(std::vector<T> items) : value(GgufArray{GgufArrayItems(std::move(items))}) {}

  GgufType type() const { return static_cast<GgufType>(value.index()); }
  // "UINT32", or "ARRAY[STRING]" for an array (with its element type), for messages.
  std::string type_description() const;

  template <typename T>
  const T* get_if() const {
    return std::get_if<T>(&value);
  }

  bool operator==(const GgufValue&) const = default;
};

// ggml tensor type ids (ggml.h); the ones Linea reads map to a DType.
struct GgmlTypeInfo {
  std::uint32_t id;
  std::string_view name;       // ggml's spelling, e.g. "IQ2_XXS"
  std::optional<DType> dtype;  // nullopt: a type Linea does not read
};

// The ggml name of a type id ("Q4_K"), or std::nullopt for an id ggml never defined.
std::optional<std::string_view> ggml_type_name(std::uint32_t type_id);
// The DType a GGUF tensor of this type id is read as; nullopt when Linea does not support it.
std::optional<DType> dtype_from_ggml_type(std::uint32_t type_id);
// The ggml type id that stores `dtype` in GGUF; nullopt for dtypes GGUF cannot hold (U8, BOOL, F8...).
std::optional<std::uint32_t> ggml_type_from_dtype(DType dtype);

}  // namespace linea::io
