#include "engine/core/utf8.h"

namespace linea {
namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0u) == 0x80u; }

// Decodes one sequence at text[i]; returns its length, or 0 when it is malformed or truncated.
std::size_t valid_sequence_at(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  const std::size_t length = utf8_sequence_length(lead);
  if (length == 0 || i + length > text.size()) return 0;
  char32_t code_point = length == 1 ? lead : lead & (0x7Fu >> length);
  for (std::size_t k = 1; k < length; ++k) {
    const auto byte = static_cast<unsigned char>(text[i + k]);
    if (!is_continuation(byte)) return 0;
    code_point = (code_point << 6) | (byte & 0x3Fu);
  }
  static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code_point < kMinimum[length] || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF))
    return 0;
  return length;
}

}  // namespace

std::size_t utf8_sequence_length(unsigned char lead) {
  if (lead < 0x80u) return 1;
  if (lead >= 0xC2u && lead <= 0xDFu) return 2;
  if (lead >= 0xE0u && lead <= 0xEFu) return 3;
  if (lead >= 0xF0u && lead <= 0xF4u) return 4;
  return 0;
}

bool is_valid_utf8(std::string_view text) { return valid_utf8_prefix(text) == text.size(); }

std::size_t valid_utf8_prefix(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80u) {  // ASCII runs dominate real text
      ++i;
      continue;
    }
    const std::size_t length = valid_sequence_at(text, i);
    if (length == 0) return i;
    i += length;
  }
  return i;
}

std::size_t complete_utf8_prefix(std::string_view text) {
  // Only the last (up to 3) bytes can be an unfinished character.
  const std::size_t lookback = text.size() < 3 ? text.size() : 3;
  for (std::size_t back = 1; back <= lookback; ++back) {
    const std::size_t start = text.size() - back;
    const auto byte = static_cast<unsigned char>(text[start]);
    if (is_continuation(byte)) continue;
    const std::size_t length = utf8_sequence_length(byte);
    if (length > back) {
      // A lead byte waiting for more: hold it back only if what follows it so far is consistent.
      for (std::size_t k = start + 1; k < text.size(); ++k)
        if (!is_continuation(static_cast<unsigned char>(text[k]))) return text.size();
      return start;
    }
    return text.size();
  }
  return text.size();
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace linea
