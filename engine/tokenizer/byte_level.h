// GPT-2's reversible map between bytes and printable code points, which byte-level BPE vocabularies
// are spelled in: printable Latin-1 bytes stand for themselves, the other 68 bytes (controls, space,
// DEL, NBSP, soft hyphen) for U+0100.. in byte order, so a space is "Ġ" (U+0120).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace linea::tokenizer {

char32_t byte_level_code_point(std::uint8_t byte);

// The byte a code point stands for, or nothing when it is outside the map.
std::optional<std::uint8_t> byte_level_byte(char32_t code_point);

// Bytes to their spelling (UTF-8 of the mapped code points).
std::string byte_level_spell(std::string_view bytes);

// A spelling back to bytes; nothing when any character is outside the map (or the text is not
// UTF-8), in which case a decoder uses the spelling's own bytes.
std::optional<std::string> byte_level_unspell(std::string_view spelling);

}  // namespace linea::tokenizer
