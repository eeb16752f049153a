#include "engine/core/dtype.h"

namespace linea {

std::optional<DType> dtype_from_name(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(DType::q8_k); ++i) {
    const auto type = static_cast<DType>(i);
    if (dtype_name(type) == name) return type;
  }
  return std::nullopt;
}

}  // namespace linea
