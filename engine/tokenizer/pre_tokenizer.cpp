#include "engine/tokenizer/pre_tokenizer.h"

#include <utility>

namespace linea::tokenizer {
namespace {

struct Span {
  std::size_t begin;
  std::size_t end;
  bool matched;
};

// The spans of `text` in order, covering it: pattern matches and the text between them.
std::vector<Span> match_spans(const UnicodeRegex& regex, std::string_view text, bool invert) {
  std::vector<Span> spans;
  std::size_t covered = 0;
  regex.for_each_match(text, [&](std::size_t begin, std::size_t end) {
    if (begin > covered) spans.push_back({covered, begin, invert});
    spans.push_back({begin, end, !invert});
    covered = end;
  });
  if (covered < text.size()) spans.push_back({covered, text.size(), invert});
  return spans;
}

// Applies a delimiter behaviour to the spans (the fold `tokenizers` does in NormalizedString::split).
std::vector<Span> apply_behavior(std::vector<Span> spans, SplitBehavior behavior) {
  std::vector<Span> out;
  switch (behavior) {
    case SplitBehavior::isolated: return spans;
    case SplitBehavior::removed:
      for (const Span& span : spans)
        if (!span.matched) out.push_back(span);
      return out;
    case SplitBehavior::merged_with_previous: {
      bool previous_matched = false;
      for (const Span& span : spans) {
        if (span.matched && !previous_matched && !out.empty())
          out.back().end = span.end;
        else
          out.push_back({span.begin, span.end, false});
        previous_matched = span.matched;
      }
      return out;
    }
    case SplitBehavior::merged_with_next: {
      bool previous_matched = false;
      for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
        if (it->matched && !previous_matched && !out.empty())
          out.back().begin = it->begin;
        else
          out.push_back({it->begin, it->end, false});
        previous_matched = it->matched;
      }
      return {out.rbegin(), out.rend()};
    }
    case SplitBehavior::contiguous: {
      bool previous_matched = false;
      for (const Span& span : spans) {
        if (span.matched == previous_matched && !out.empty())
          out.back().end = span.end;
        else
          out.push_back({span.begin, span.end, false});
        previous_matched = span.matched;
      }
      return out;
    }
  }
  return spans;
}

}  // namespace

struct PreTokenizer::Step {
  enum class Kind { split, byte_level };
  Kind kind = Kind::split;
  std::unique_ptr<UnicodeRegex> regex;  // absent for a ByteLevel step without regex
  SplitBehavior behavior = SplitBehavior::isolated;
  bool invert = false;
  bool add_prefix_space = false;
};

PreTokenizer::PreTokenizer() = default;

PreTokenizer::PreTokenizer(const std::vector<PreTokenizerStep>& steps) {
  for (const PreTokenizerStep& step : steps) {
    auto compiled = std::make_unique<Step>();
    switch (step.kind) {
      case PreTokenizerStep::Kind::split:
        compiled->regex = std::make_unique<UnicodeRegex>(step.pattern, step.literal);
        compiled->behavior = step.behavior;
        compiled->invert = step.invert;
        break;
      case PreTokenizerStep::Kind::digits:
        // `tokenizers` tests char::is_numeric, i.e. the Unicode number categories.
        compiled->regex = std::make_unique<UnicodeRegex>(step.individual_digits ? R"(\p{N})" : R"(\p{N}+)");
        break;
      case PreTokenizerStep::Kind::byte_level:
        compiled->kind = Step::Kind::byte_level;
        if (step.use_regex) compiled->regex = std::make_unique<UnicodeRegex>(std::string(kGpt2SplitPattern));
        compiled->add_prefix_space = step.add_prefix_space;
        break;
    }
    steps_.push_back(std::move(compiled));
  }
}

PreTokenizer::~PreTokenizer() = default;
PreTokenizer::PreTokenizer(PreTokenizer&&) noexcept = default;
PreTokenizer& PreTokenizer::operator=(PreTokenizer&&) noexcept = default;

PreTokenizerStep PreTokenizerStep::split(std::string pattern, SplitBehavior behavior, bool invert, bool literal) {
  PreTokenizerStep step;
  step.kind = Kind::split;
  step.pattern = std::move(pattern);
  step.behavior = behavior;
  step.invert = invert;
  step.literal = literal;
  return step;
}

PreTokenizerStep PreTokenizerStep::digits(bool individual_digits) {
  PreTokenizerStep step;
  step.kind = Kind::digits;
  step.individual_digits = individual_digits;
  return step;
}

PreTokenizerStep PreTokenizerStep::byte_level(bool add_prefix_space, bool use_regex) {
  PreTokenizerStep step;
  step.kind = Kind::byte_level;
  step.add_prefix_space = add_prefix_space;
  step.use_regex = use_regex;
  return step;
}

void PreTokenizer::split(std::string_view text, std::vector<std::string_view>& pieces,
                         std::deque<std::string>& storage) const {
  std::vector<std::string_view> current{text};
  std::vector<std::string_view> next;
  for (const auto& step : steps_) {
    next.clear();
    for (std::string_view piece : current) {
      if (piece.empty()) continue;
      if (step->kind == Step::Kind::byte_level && step->add_prefix_space && piece.front() != ' ') {
        storage.push_back(" " + std::string(piece));
        piece = storage.back();
      }
      if (!step->regex) {
        next.push_back(piece);
        continue;
      }
      const bool invert = step->kind == Step::Kind::split && step->invert;
      for (const Span& span : apply_behavior(match_spans(*step->regex, piece, invert), step->behavior))
        if (span.end > span.begin) next.push_back(piece.substr(span.begin, span.end - span.begin));
    }
    std::swap(current, next);
  }
  for (std::string_view piece : current)
    if (!piece.empty()) pieces.push_back(piece);
}

}  // namespace linea::tokenizer
