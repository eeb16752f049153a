// Walks UTF-8 text one code point at a time. Malformed bytes read as U+FFFD and advance one byte,
// so text from a model (which may be cut anywhere) never stops the walk.
#pragma once

#include <cstddef>
#include <string_view>

namespace linea::audio {

class Utf8Reader {
 public:
  explicit Utf8Reader(std::string_view text, std::size_t position = 0) : text_(text), position_(position) {}

  bool at_end() const { return position_ >= text_.size(); }
  std::size_t position() const { return position_; }

  char32_t next() {
    const std::size_t length = decode(position_, nullptr);
    char32_t c = 0;
    decode(position_, &c);
    position_ += length;
    return c;
  }

  char32_t peek() const {
    char32_t c = 0;
    decode(position_, &c);
    return c;
  }

  // Bytes of the code point starting at `position` (1 for a malformed byte, 0 at the end).
  std::size_t length_at(std::size_t position) const { return decode(position, nullptr); }

 private:
  std::size_t decode(std::size_t at, char32_t* out) const {
    if (at >= text_.size()) {
      if (out) *out = 0;
      return 0;
    }
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text_[i]); };
    const unsigned char lead = byte(at);
    std::size_t length = 0;
    char32_t value = 0;
    if (lead < 0x80) {
      length = 1, value = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2, value = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3, value = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4, value = lead & 0x07;
    }
    if (length == 0 || at + length > text_.size()) {
      if (out) *out = 0xFFFD;
      return 1;
    }
    for (std::size_t i = 1; i < length; ++i) {
      if ((byte(at + i) & 0xC0) != 0x80) {
        if (out) *out = 0xFFFD;
        return 1;
      }
      value = (value << 6) | (byte(at + i) & 0x3F);
    }
    if (out) *out = value;
    return length;
  }

  std::string_view text_;
  std::size_t position_;
};

}  // namespace linea::audio
