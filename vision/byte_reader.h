// Bounds-checked reads of big- and little-endian integers from an untrusted byte buffer, for the
// image header parsers. A read past the end returns nullopt instead of touching memory it may not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace linea::vision {

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> bytes, bool little_endian = false)
      : bytes_(bytes), little_endian_(little_endian) {}

  std::size_t size() const { return bytes_.size(); }
  void set_little_endian(bool little) { little_endian_ = little; }

  bool has(std::size_t offset, std::size_t count) const {
    return offset <= bytes_.size() && count <= bytes_.size() - offset;
  }

  std::optional<std::uint8_t> u8(std::size_t offset) const {
    if (!has(offset, 1)) return std::nullopt;
    return bytes_[offset];
  }
  std::optional<std::uint16_t> u16(std::size_t offset) const {
    const auto v = read(offset, 2);
    if (!v) return std::nullopt;
    return static_cast<std::uint16_t>(*v);
  }
  std::optional<std::uint32_t> u24(std::size_t offset) const { return read(offset, 3); }
  std::optional<std::uint32_t> u32(std::size_t offset) const { return read(offset, 4); }

  // True when the bytes at `offset` spell `text` exactly.
  bool matches(std::size_t offset, std::string_view text) const {
    if (!has(offset, text.size())) return false;
    for (std::size_t i = 0; i < text.size(); ++i)
      if (bytes_[offset + i] != static_cast<std::uint8_t>(text[i])) return false;
    return true;
  }

  std::span<const std::uint8_t> slice(std::size_t offset, std::size_t count) const {
    if (!has(offset, count)) return {};
    return bytes_.subspan(offset, count);
  }

 private:
  std::optional<std::uint32_t> read(std::size_t offset, std::size_t count) const {
    if (!has(offset, count)) return std::nullopt;
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t index = little_endian_ ? offset + count - 1 - i : offset + i;
      value = (value << 8) | bytes_[index];
    }
    return value;
  }

  std::span<const std::uint8_t> bytes_;
  bool little_endian_;
};

}  // namespace linea::vision
