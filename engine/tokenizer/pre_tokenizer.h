// Splits text into the pieces that BPE encodes one at a time, as the pre-tokenizer of a
// tokenizer.json does: regex or literal Split steps with a delimiter behaviour, Digits, and
// ByteLevel (prefix space and GPT-2's regex). Works on raw bytes: the byte-to-character spelling of
// byte-level vocabularies is applied implicitly by the BPE model, not here.
#pragma once

#include "engine/tokenizer/unicode_regex.h"

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace linea::tokenizer {

// GPT-2's pattern, used by ByteLevel with use_regex and by GPT2Tokenizer (vocab.json + merges.txt).
inline constexpr std::string_view kGpt2SplitPattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

// What happens to the text a Split pattern matches (`tokenizers`' SplitDelimiterBehavior).
enum class SplitBehavior { removed, isolated, merged_with_previous, merged_with_next, contiguous };

// One step of a pre-tokenizer. A plain struct rather than a variant: which fields apply depends on
// `kind`, and the named constructors set them.
struct PreTokenizerStep {
  enum class Kind { split, digits, byte_level };
  Kind kind = Kind::byte_level;

  // split: the pattern and what happens to what it matches
  std::string pattern;
  bool literal = false;  // the pattern is a plain string, not a regex
  SplitBehavior behavior = SplitBehavior::isolated;
  bool invert = false;  // the pattern marks the pieces to keep, not the delimiters

  // digits: each digit alone, or runs of digits
  bool individual_digits = false;

  // byte_level: a space before each piece that lacks one; GPT-2's regex
  bool add_prefix_space = false;
  bool use_regex = true;

  static PreTokenizerStep split(std::string pattern, SplitBehavior behavior, bool invert = false, bool literal = false);
  static PreTokenizerStep digits(bool individual_digits);
  static PreTokenizerStep byte_level(bool add_prefix_space, bool use_regex);
};

class PreTokenizer {
 public:
  PreTokenizer();
  // Steps run in order. Patterns that do not compile throw std::invalid_argument.
  explicit PreTokenizer(const std::vector<PreTokenizerStep>& steps);
  ~PreTokenizer();
  PreTokenizer(PreTokenizer&&) noexcept;
  PreTokenizer& operator=(PreTokenizer&&) noexcept;

  // Appends the pieces of `text` (valid UTF-8) to `pieces`. Pieces view `text` or strings kept in
  // `storage` (a piece that gained a prefix space).
  void split(std::string_view text, std::vector<std::string_view>& pieces, std::deque<std::string>& storage) const;

 private:
  struct Step;
  std::vector<std::unique_ptr<Step>> steps_;
};

}  // namespace linea::tokenizer
