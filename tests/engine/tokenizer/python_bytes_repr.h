// repr(bytes)[2:-1] as Python writes it, which llama.cpp's converter stores for RWKV tokens in
// GGUF. Test-only: lets a test build a whole World vocabulary GGUF; checked against Python's own
// output in test_gguf_tokenizer (tests/data/tokenizer/rwkv_gguf_repr.json).
#pragma once

#include <string>
#include <string_view>

namespace linea::test {

inline std::string python_bytes_repr_body(std::string_view bytes) {
  // Python quotes with ' unless the bytes hold a ' and no ".
  const bool double_quoted = bytes.find('\'') != std::string_view::npos && bytes.find('"') == std::string_view::npos;
  const char quote = double_quoted ? '"' : '\'';
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\\' || c == quote) {
      out += '\\';
      out += c;
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (byte < 0x20 || byte >= 0x7F) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace linea::test
