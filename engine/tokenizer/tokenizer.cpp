#include "engine/tokenizer/tokenizer.h"

#include <algorithm>
#include <stdexcept>

namespace linea::tokenizer {

bool SpecialTokenIds::ends_generation(TokenId id) const {
  return std::find(end_of_generation.begin(), end_of_generation.end(), id) != end_of_generation.end();
}

void SpecialTokenIds::add_end_of_generation(TokenId id) {
  if (!ends_generation(id)) end_of_generation.push_back(id);
}

std::string Tokenizer::decode(std::span<const TokenId> ids, bool skip_special) const {
  std::string text;
  for (TokenId id : ids) {
    check_id(id);
    if (skip_special && is_special(id)) continue;
    text += token_bytes(id);
  }
  return text;
}

void Tokenizer::check_id(TokenId id) const {
  if (id < 0 || static_cast<std::size_t>(id) >= vocab_size())
    throw std::out_of_range("token id " + std::to_string(id) + " is outside the vocabulary of " +
                            std::to_string(vocab_size()) + " tokens");
}

}  // namespace linea::tokenizer
