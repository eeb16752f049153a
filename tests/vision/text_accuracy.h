// Character accuracy of recognised text: 1 - Levenshtein distance / reference length, after
// collapsing every whitespace run to one space (line breaks depend on layout, not on reading).
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace linea::test {

inline std::string collapse_whitespace(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Edits (insert, delete, substitute one byte) turning `a` into `b`.
inline std::size_t levenshtein(const std::string& a, const std::string& b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

inline double character_accuracy(const std::string& recognised, const std::string& reference) {
  const std::string a = collapse_whitespace(recognised);
  const std::string b = collapse_whitespace(reference);
  if (b.empty()) return a.empty() ? 1.0 : 0.0;
  return 1.0 - static_cast<double>(levenshtein(a, b)) / static_cast<double>(b.size());
}

}  // namespace linea::test
