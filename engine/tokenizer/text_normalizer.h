// The text normalizations a tokenizer.json may ask for before splitting (Unicode normal forms,
// lowercasing), implemented with ICU.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace linea::tokenizer {

enum class NormalizationStep { nfc, nfd, nfkc, nfkd, lowercase };

class TextNormalizer {
 public:
  TextNormalizer() = default;
  explicit TextNormalizer(std::vector<NormalizationStep> steps);

  bool empty() const { return steps_.empty(); }

  // Applies the steps in order. `text` must be valid UTF-8. Throws std::runtime_error if ICU fails.
  std::string normalize(std::string_view text) const;

 private:
  std::vector<NormalizationStep> steps_;
};

}  // namespace linea::tokenizer
