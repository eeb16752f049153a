#include "engine/runtime/byte_tokenizer.h"

#include <array>

namespace linea {

namespace {

const std::array<char, 256>& all_bytes() {
  static const std::array<char, 256> bytes = [] {
    std::array<char, 256> out{};
    for (int i = 0; i < 256; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>(i);
    return out;
  }();
  return bytes;
}

}  // namespace

std::vector<tokenizer::TokenId> ByteTokenizer::encode(std::string_view text, bool) const {
  std::vector<tokenizer::TokenId> ids;
  ids.reserve(text.size());
  for (char c : text) ids.push_back(static_cast<unsigned char>(c));
  return ids;
}

std::string_view ByteTokenizer::token_bytes(tokenizer::TokenId id) const {
  check_id(id);
  return {all_bytes().data() + id, 1};
}

std::optional<tokenizer::TokenId> ByteTokenizer::find_piece(std::string_view piece) const {
  if (piece.size() != 1) return std::nullopt;
  return static_cast<unsigned char>(piece[0]);
}

}  // namespace linea
