#include "engine/io/gguf_types.h"

#include <array>

namespace linea::io {
namespace {

constexpr std::array<GgmlTypeInfo, 33> kGgmlTypes = {{
    {0, "F32", DType::f32},        {1, "F16", DType::f16},        {2, "Q4_0", DType::q4_0},
    {3, "Q4_1", DType::q4_1},      {4, "Q4_2", std::nullopt},     {5, "Q4_3", std::nullopt},
    {6, "Q5_0", DType::q5_0},      {7, "Q5_1", DType::q5_1},      {8, "Q8_0", DType::q8_0},
    {9, "Q8_1", std::nullopt},     {10, "Q2_K", std::nullopt},    {11, "Q3_K", std::nullopt},
    {12, "Q4_K", DType::q4_k},     {13, "Q5_K", DType::q5_k},     {14, "Q6_K", DType::q6_k},
    {15, "Q8_K", std::nullopt},    {16, "IQ2_XXS", std::nullopt}, {17, "IQ2_XS", std::nullopt},
    {18, "IQ3_XXS", std::nullopt}, {19, "IQ1_S", std::nullopt},   {20, "IQ4_NL", std::nullopt},
    {21, "IQ3_S", std::nullopt},   {22, "IQ2_S", std::nullopt},   {23, "IQ4_XS", std::nullopt},
    {24, "I8", DType::i8},         {25, "I16", DType::i16},       {26, "I32", DType::i32},
    {27, "I64", DType::i64},       {28, "F64", DType::f64},       {29, "IQ1_M", std::nullopt},
    {30, "BF16", DType::bf16},     {34, "TQ1_0", std::nullopt},   {35, "TQ2_0", std::nullopt},
}};

// Ids defined after the contiguous table above.
constexpr std::array<GgmlTypeInfo, 3> kLaterGgmlTypes = {{
    {39, "MXFP4", std::nullopt},
    {40, "NVFP4", std::nullopt},
    {41, "Q1_0", std::nullopt},
}};

const GgmlTypeInfo* find_ggml_type(std::uint32_t id) {
  for (const GgmlTypeInfo& info : kGgmlTypes)
    if (info.id == id) return &info;
  for (const GgmlTypeInfo& info : kLaterGgmlTypes)
    if (info.id == id) return &info;
  return nullptr;
}

}  // namespace

std::string gguf_type_name(std::uint32_t type_id) {
  static constexpr std::array<std::string_view, 13> kNames = {"UINT8",  "INT8",    "UINT16", "INT16",  "UINT32",
                                                              "INT32",  "FLOAT32", "BOOL",   "STRING", "ARRAY",
                                                              "UINT64", "INT64",   "FLOAT64"};
  if (type_id < kNames.size()) return std::string(kNames[type_id]);
  return "type " + std::to_string(type_id);
}

std::size_t GgufArray::size() const {
  return std::visit([](const auto& vector) { return vector.size(); }, items);
}

namespace {

std::string array_description(const GgufArray& array) {
  std::string inner = gguf_type_name(array.element_type());
  if (const auto* nested = array.get_if<GgufArray>(); nested != nullptr && !nested->empty())
    inner = array_description(nested->front());
  return "ARRAY[" + inner + "]";
}

}  // namespace

std::string GgufValue::type_description() const {
  if (const GgufArray* array = get_if<GgufArray>()) return array_description(*array);
  return gguf_type_name(type());
}

std::optional<std::string_view> ggml_type_name(std::uint32_t type_id) {
  const GgmlTypeInfo* info = find_ggml_type(type_id);
  if (info == nullptr) return std::nullopt;
  return info->name;
}

std::optional<DType> dtype_from_ggml_type(std::uint32_t type_id) {
  const GgmlTypeInfo* info = find_ggml_type(type_id);
  return info == nullptr ? std::nullopt : info->dtype;
}

std::optional<std::uint32_t> ggml_type_from_dtype(DType dtype) {
  for (const GgmlTypeInfo& info : kGgmlTypes)
    if (info.dtype == dtype) return info.id;
  return std::nullopt;
}

}  // namespace linea::io
