// The 12 bytes of a Q4_K / Q5_K block that hold its 8 six-bit sub-block scales and 8 six-bit mins
// (model-spec's K-quant blocks): for j < 4, sc_j and m_j are the low 6 bits of bytes j and j + 4; for
// j ≥ 4, the low (sc) and high (m) nibble of byte j + 4 give bits 0–3 and the top 2 bits of bytes
// j − 4 (sc) and j (m) bits 4–5.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace linea::io {

struct KQuantScales {
  std::array<std::uint8_t, 8> scale{}, min{};  // each 0 … 63
};

inline KQuantScales unpack_k_quant_scales(const std::byte* twelve) {
  std::uint8_t b[12];
  std::memcpy(b, twelve, 12);
  KQuantScales out;
  for (int j = 0; j < 4; ++j) {
    out.scale[j] = b[j] & 63;
    out.min[j] = b[j + 4] & 63;
    out.scale[j + 4] = static_cast<std::uint8_t>((b[j + 8] & 0x0f) | ((b[j] >> 6) << 4));
    out.min[j + 4] = static_cast<std::uint8_t>((b[j + 8] >> 4) | ((b[j + 4] >> 6) << 4));
  }
  return out;
}

// The inverse: every bit of the 12 bytes comes from `in` (values above 63 lose their high bits).
inline void pack_k_quant_scales(const KQuantScales& in, std::byte* twelve) {
  std::uint8_t b[12];
  for (int j = 0; j < 4; ++j) {
    b[j] = static_cast<std::uint8_t>((in.scale[j] & 63) | ((in.scale[j + 4] >> 4) << 6));
    b[j + 4] = static_cast<std::uint8_t>((in.min[j] & 63) | ((in.min[j + 4] >> 4) << 6));
    b[j + 8] = static_cast<std::uint8_t>((in.scale[j + 4] & 0x0f) | ((in.min[j + 4] & 0x0f) << 4));
  }
  std::memcpy(twelve, b, 12);
}

}  // namespace linea::io
