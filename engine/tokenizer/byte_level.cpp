#include "engine/tokenizer/byte_level.h"

#include "engine/core/utf8.h"

#include <array>

namespace linea::tokenizer {
namespace {

bool stands_for_itself(unsigned byte) {
  return (byte >= 0x21 && byte <= 0x7E) || (byte >= 0xA1 && byte <= 0xAC) || (byte >= 0xAE && byte <= 0xFF);
}

struct Tables {
  std::array<char32_t, 256> code_point_of_byte{};
  std::array<std::int16_t, 324> byte_of_code_point{};  // every mapped code point is below 256 + 68

  Tables() {
    byte_of_code_point.fill(-1);
    char32_t next_shifted = 256;
    for (unsigned byte = 0; byte < 256; ++byte) {
      const char32_t cp = stands_for_itself(byte) ? byte : next_shifted++;
      code_point_of_byte[byte] = cp;
      byte_of_code_point[cp] = static_cast<std::int16_t>(byte);
    }
  }
};

const Tables& tables() {
  static const Tables instance;
  return instance;
}

}  // namespace

char32_t byte_level_code_point(std::uint8_t byte) { return tables().code_point_of_byte[byte]; }

std::optional<std::uint8_t> byte_level_byte(char32_t code_point) {
  if (code_point >= tables().byte_of_code_point.size()) return std::nullopt;
  const std::int16_t byte = tables().byte_of_code_point[code_point];
  if (byte < 0) return std::nullopt;
  return static_cast<std::uint8_t>(byte);
}

std::string byte_level_spell(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) append_utf8(out, byte_level_code_point(static_cast<std::uint8_t>(c)));
  return out;
}

std::optional<std::string> byte_level_unspell(std::string_view spelling) {
  std::string out;
  out.reserve(spelling.size());
  for (std::size_t i = 0; i < spelling.size();) {
    const auto lead = static_cast<unsigned char>(spelling[i]);
    // Mapped code points are below U+0144, so they take one or two bytes.
    char32_t cp = 0;
    if (lead < 0x80) {
      cp = lead;
      i += 1;
    } else if ((lead & 0xE0u) == 0xC0u && i + 1 < spelling.size() &&
               (static_cast<unsigned char>(spelling[i + 1]) & 0xC0u) == 0x80u) {
      cp = ((lead & 0x1Fu) << 6) | (static_cast<unsigned char>(spelling[i + 1]) & 0x3Fu);
      if (cp < 0x80) return std::nullopt;  // overlong
      i += 2;
    } else {
      return std::nullopt;
    }
    const auto byte = byte_level_byte(cp);
    if (!byte) return std::nullopt;
    out += static_cast<char>(*byte);
  }
  return out;
}

}  // namespace linea::tokenizer
