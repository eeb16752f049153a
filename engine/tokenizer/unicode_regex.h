// A compiled Unicode-aware regular expression (PCRE2 with UTF and Unicode properties, JIT-compiled
// when the platform allows), for the pre-tokenizer patterns of byte-level BPE vocabularies, e.g.
// "'s|'t| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+".
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace linea::tokenizer {

class UnicodeRegex {
 public:
  // Throws std::invalid_argument naming the pattern, the error and its offset when it does not
  // compile. `literal` matches the pattern text exactly instead.
  explicit UnicodeRegex(std::string pattern, bool literal = false);
  ~UnicodeRegex();
  UnicodeRegex(UnicodeRegex&&) noexcept;
  UnicodeRegex& operator=(UnicodeRegex&&) noexcept;

  // Calls on_match(begin, end) (byte offsets) for each successive non-overlapping match, left to
  // right. `text` must be valid UTF-8 (callers check once per input). An empty match advances by
  // one character. Throws std::runtime_error when matching fails (e.g. resource limits).
  void for_each_match(std::string_view text, const std::function<void(std::size_t, std::size_t)>& on_match) const;

  const std::string& pattern() const { return pattern_; }

 private:
  struct Compiled;
  std::string pattern_;
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace linea::tokenizer
