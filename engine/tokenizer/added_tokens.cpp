#include "engine/tokenizer/added_tokens.h"

#include <unicode/uchar.h>

#include <algorithm>

namespace linea::tokenizer {
namespace {

// The code point starting at `i` (text is valid UTF-8).
char32_t code_point_at(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  if (lead < 0x80) return lead;
  const int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  char32_t cp = lead & (0x7Fu >> (length + 1));
  for (int k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
  return cp;
}

// Start of the character that ends just before `i`.
std::size_t previous_character(std::string_view text, std::size_t i) {
  do --i;
  while (i > 0 && (static_cast<unsigned char>(text[i]) & 0xC0u) == 0x80u);
  return i;
}

std::size_t next_character(std::string_view text, std::size_t i) {
  do ++i;
  while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0u) == 0x80u);
  return i;
}

bool is_whitespace(char32_t cp) { return u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_WHITE_SPACE); }

// A "word" character as in the \w of Rust's regex crate, which `tokenizers` uses for single_word.
bool is_word_character(char32_t cp) {
  const auto c = static_cast<UChar32>(cp);
  if (u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || u_hasBinaryProperty(c, UCHAR_JOIN_CONTROL)) return true;
  const std::int32_t mask = U_GET_GC_MASK(c);
  return (mask & (U_GC_M_MASK | U_GC_ND_MASK | U_GC_PC_MASK)) != 0;
}

}  // namespace

AddedTokenMatcher::AddedTokenMatcher(std::vector<AddedToken> tokens) : tokens_(std::move(tokens)) {
  std::erase_if(tokens_, [](const AddedToken& token) { return token.content.empty(); });
  for (std::uint32_t i = 0; i < tokens_.size(); ++i)
    by_first_byte_[static_cast<unsigned char>(tokens_[i].content[0])].push_back(i);
  for (auto& candidates : by_first_byte_)
    std::stable_sort(candidates.begin(), candidates.end(), [this](std::uint32_t a, std::uint32_t b) {
      return tokens_[a].content.size() > tokens_[b].content.size();
    });
}

void AddedTokenMatcher::split(std::string_view text, bool match_special, std::vector<TextSegment>& out) const {
  std::size_t emitted = 0;  // text before this is already covered by segments
  std::size_t pos = 0;
  while (pos < text.size()) {
    const AddedToken* found = nullptr;
    for (std::uint32_t index : by_first_byte_[static_cast<unsigned char>(text[pos])]) {
      if (text.substr(pos).starts_with(tokens_[index].content)) {
        found = &tokens_[index];
        break;  // candidates are longest first
      }
    }
    if (found == nullptr) {
      ++pos;
      continue;
    }
    std::size_t start = pos;
    std::size_t stop = pos + found->content.size();
    pos = stop;  // a match that is then rejected still consumes its text
    if (found->special && !match_special) continue;
    if (found->single_word) {
      const bool free_before = start == 0 || !is_word_character(code_point_at(text, previous_character(text, start)));
      const bool free_after = stop == text.size() || !is_word_character(code_point_at(text, stop));
      if (!free_before || !free_after) continue;
    }
    if (found->lstrip)
      while (start > emitted) {
        const std::size_t before = previous_character(text, start);
        if (!is_whitespace(code_point_at(text, before))) break;
        start = before;
      }
    if (found->rstrip)
      while (stop < text.size() && is_whitespace(code_point_at(text, stop))) stop = next_character(text, stop);
    if (start > emitted) out.push_back({emitted, start, -1});
    out.push_back({start, stop, found->id});
    emitted = stop;
    pos = stop;
  }
  if (emitted < text.size()) out.push_back({emitted, text.size(), -1});
}

}  // namespace linea::tokenizer
