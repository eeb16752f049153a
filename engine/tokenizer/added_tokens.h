// Tokens matched in the text before any splitting or BPE: special tokens (<|im_start|>, matched only
// when the caller allows) and other added tokens (<think>, matched always). Matching is leftmost-
// longest; the flags follow Hugging Face `tokenizers`' AddedToken semantics.
#pragma once

#include "engine/tokenizer/tokenizer.h"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace linea::tokenizer {

struct AddedToken {
  TokenId id = 0;
  std::string content;
  bool special = false;      // a control token: matched only when allowed, skipped when decoding may skip
  bool normalized = false;   // matched against normalized text rather than the raw text
  bool lstrip = false;       // swallows the whitespace before it
  bool rstrip = false;       // swallows the whitespace after it
  bool single_word = false;  // matched only with no word character right before or after it
};

// A piece of the input: either text still to tokenize, or one matched added token.
struct TextSegment {
  std::size_t begin = 0;
  std::size_t end = 0;
  TokenId token = -1;  // -1: plain text
  bool is_token() const { return token >= 0; }
};

class AddedTokenMatcher {
 public:
  AddedTokenMatcher() = default;
  explicit AddedTokenMatcher(std::vector<AddedToken> tokens);

  bool empty() const { return tokens_.empty(); }

  // Appends segments covering text[begin, end) in order. Special tokens are matched only when
  // match_special; a special token not matched still hides what it overlaps (as `tokenizers` does).
  // `text` must be valid UTF-8.
  void split(std::string_view text, bool match_special, std::vector<TextSegment>& out) const;

 private:
  std::vector<AddedToken> tokens_;
  std::array<std::vector<std::uint32_t>, 256> by_first_byte_;  // indices into tokens_, longest first
};

}  // namespace linea::tokenizer
