// UTF-8 helpers shared by the file readers (names and strings in model files must be well-formed),
// the tokenizers, and streaming detokenisation (a token may end in the middle of a character; the
// text shown must not).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace linea {

// Length of the UTF-8 sequence a lead byte starts (1..4), or 0 for a byte that cannot start one.
std::size_t utf8_sequence_length(unsigned char lead);

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Length of the longest well-formed prefix of `text`: text.size() when all of it is valid, else the
// byte offset of the first malformed sequence (for error messages).
std::size_t valid_utf8_prefix(std::string_view text);

// Length of the longest prefix of `text` that ends on a character boundary, assuming `text` may be
// cut inside its last character. Bytes that can never become valid are counted as complete (so a
// caller never waits forever on garbage).
std::size_t complete_utf8_prefix(std::string_view text);

// Appends the UTF-8 encoding of a code point (replacement character for invalid ones).
void append_utf8(std::string& out, char32_t code_point);

}  // namespace linea
