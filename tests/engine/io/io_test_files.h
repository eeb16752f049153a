// Helpers for the engine/io tests: byte builders for safetensors and GGUF files (valid or
// deliberately broken), writing them to a temporary folder, and where the committed goldens live.
#pragma once

#include "engine/core/dtype.h"
#include "engine/io/format_error.h"
#include "engine/io/little_endian.h"

#include <QString>
#include <QTemporaryDir>
#include <QTest>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace linea::test {

using Bytes = std::vector<std::byte>;

inline std::filesystem::path goldenPath(const char* name) {
  return std::filesystem::path(LINEA_SOURCE_DIR) / "tests" / "data" / "io" / name;
}

inline void writeBytes(const std::filesystem::path& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  QVERIFY2(out.good(), path.c_str());
}

inline Bytes readBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Bytes bytes(text.size());
  std::memcpy(bytes.data(), text.data(), text.size());
  return bytes;
}

// Appends little-endian fields; used to build files field by field, mistakes included.
class ByteBuilder {
 public:
  template <typename T>
  ByteBuilder& put(T value) {
    const std::size_t at = bytes_.size();
    bytes_.resize(at + sizeof(T));
    io::store_le(bytes_.data() + at, value);
    return *this;
  }
  ByteBuilder& u8(std::uint8_t v) { return put(v); }
  ByteBuilder& u32(std::uint32_t v) { return put(v); }
  ByteBuilder& u64(std::uint64_t v) { return put(v); }
  ByteBuilder& raw(std::string_view text) {
    for (char c : text) bytes_.push_back(static_cast<std::byte>(c));
    return *this;
  }
  ByteBuilder& raw(const Bytes& more) {
    bytes_.insert(bytes_.end(), more.begin(), more.end());
    return *this;
  }
  ByteBuilder& zeros(std::size_t count) {
    bytes_.resize(bytes_.size() + count, std::byte{0});
    return *this;
  }
  // A GGUF string: u64 length, then the bytes.
  ByteBuilder& str(std::string_view text) { return u64(text.size()).raw(text); }
  ByteBuilder& pad_to(std::size_t alignment) {
    while (bytes_.size() % alignment != 0) bytes_.push_back(std::byte{0});
    return *this;
  }
  std::size_t size() const { return bytes_.size(); }
  const Bytes& bytes() const { return bytes_; }

 private:
  Bytes bytes_;
};

// A safetensors file: u64 header length, the header text, then the data buffer.
inline Bytes safetensorsBytes(std::string_view header, const Bytes& buffer) {
  ByteBuilder b;
  b.u64(header.size()).raw(header).raw(buffer);
  return b.bytes();
}

inline Bytes filled(std::size_t count, std::uint8_t first = 0) {
  Bytes bytes(count);
  for (std::size_t i = 0; i < count; ++i) bytes[i] = static_cast<std::byte>(first + i);
  return bytes;
}

// What opening a file made of `bytes` gave: success, or the reader's message and offset.
struct Opened {
  bool ok = false;
  std::string message;
  std::optional<std::uint64_t> offset;
};

// Writes `bytes` to a temporary `file_name` and opens it with `Reader::open`; also checks that an
// error names that file.
template <typename Reader>
Opened openBytesWith(const Bytes& bytes, const char* file_name) {
  QTemporaryDir dir;
  const std::filesystem::path path = dir.filePath(QString::fromLatin1(file_name)).toStdString();
  writeBytes(path, bytes);
  try {
    Reader::open(path);
    return {true, {}, {}};
  } catch (const io::FormatError& error) {
    if (error.file() != path.string()) return {false, "error names the wrong file: " + error.file(), {}};
    return {false, error.message(), error.offset()};
  }
}

}  // namespace linea::test
