// The tokenizer of byte-level models such as rwkv.cpp's tiny test models: token i is byte i, and
// nothing else. Used when a model with exactly 256 vocabulary rows ships no tokenizer of its own.
#pragma once

#include "engine/tokenizer/tokenizer.h"

namespace linea {

class ByteTokenizer final : public tokenizer::Tokenizer {
 public:
  std::vector<tokenizer::TokenId> encode(std::string_view text, bool allow_special) const override;
  std::string_view token_bytes(tokenizer::TokenId id) const override;
  std::string_view token_piece(tokenizer::TokenId id) const override { return token_bytes(id); }
  std::optional<tokenizer::TokenId> find_piece(std::string_view piece) const override;
  std::size_t vocab_size() const override { return 256; }
  bool is_special(tokenizer::TokenId) const override { return false; }
  std::string_view kind() const override { return "bytes"; }
};

}  // namespace linea
