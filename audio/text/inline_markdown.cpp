#include "audio/text/inline_markdown.h"

#include "audio/text/text_classes.h"

#include <array>
#include <cctype>
#include <utility>

namespace linea::audio {
namespace {

constexpr std::size_t kMaxTagBytes = 200;

bool is_word_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || u >= 0x80;
}

class InlineStripper {
 public:
  explicit InlineStripper(std::string_view text) : text_(text) {}

  std::vector<SpeechSegment> run() {
    strip(0, text_.size());
    flush();
    return std::move(segments_);
  }

 private:
  void strip(std::size_t begin, std::size_t end) {
    std::size_t i = begin;
    while (i < end) {
      const char c = text_[i];
      if (c == '\\' && i + 1 < end && std::ispunct(static_cast<unsigned char>(text_[i + 1]))) {
        current_.push_back(text_[i + 1]);
        i += 2;
      } else if (c == '`') {
        i = code_span(i, end);
      } else if (c == '!' && i + 1 < end && text_[i + 1] == '[') {
        i = link(i + 1, end, /*image=*/true);
      } else if (c == '[') {
        i = link(i, end, /*image=*/false);
      } else if (c == '<') {
        i = angle_bracket(i, end);
      } else if (c == '&') {
        i = entity(i, end);
      } else if (c == '*' || c == '~') {
        ++i;  // emphasis and strikethrough marks
      } else if (c == '_') {
        std::size_t run_end = i;
        while (run_end < end && text_[run_end] == '_') ++run_end;
        const bool inside_word =
            i > begin && is_word_byte(text_[i - 1]) && run_end < end && is_word_byte(text_[run_end]);
        if (inside_word) current_.append(text_.substr(i, run_end - i));  // snake_case stays
        i = run_end;
      } else if (c == '#' && heading_closer(i, end)) {
        i = end;
      } else {
        current_.push_back(c);
        ++i;
      }
    }
  }

  // "Title ##" at the end of a heading: the closing hashes are not read.
  bool heading_closer(std::size_t i, std::size_t end) const {
    if (i == 0 || text_[i - 1] != ' ') return false;
    for (std::size_t j = i; j < end; ++j) {
      if (text_[j] != '#' && text_[j] != ' ') return false;
    }
    return true;
  }

  std::size_t code_span(std::size_t i, std::size_t end) {
    std::size_t run_end = i;
    while (run_end < end && text_[run_end] == '`') ++run_end;
    const std::size_t ticks = run_end - i;
    for (std::size_t j = run_end; j < end;) {
      if (text_[j] != '`') {
        ++j;
        continue;
      }
      std::size_t close_end = j;
      while (close_end < end && text_[close_end] == '`') ++close_end;
      if (close_end - j == ticks) {
        std::string_view code = text_.substr(run_end, j - run_end);
        if (code.size() >= 2 && code.front() == ' ' && code.back() == ' ') code = code.substr(1, code.size() - 2);
        flush();
        segments_.push_back({std::string(code), true});
        return close_end;
      }
      j = close_end;
    }
    return run_end;  // unmatched backticks: drop them, read the rest
  }

  // [text](target), [text][ref], ![alt](target); `open` is at '['.
  std::size_t link(std::size_t open, std::size_t end, bool image) {
    int depth = 0;
    std::size_t close = open;
    for (; close < end; ++close) {
      if (text_[close] == '\\') {
        ++close;
        continue;
      }
      if (text_[close] == '[') ++depth;
      if (text_[close] == ']' && --depth == 0) break;
    }
    if (close >= end) {  // no closing bracket: the bracket is just a character
      if (image) current_.push_back('!');
      current_.push_back('[');
      return open + 1;
    }
    const std::size_t text_begin = open + 1;
    const std::size_t text_end = close;
    std::size_t after = close + 1;
    std::string_view target;
    if (after < end && (text_[after] == '(' || text_[after] == '[')) {
      const char opener = text_[after];
      const char closer = opener == '(' ? ')' : ']';
      int nesting = 0;
      std::size_t j = after;
      for (; j < end; ++j) {
        if (text_[j] == opener) ++nesting;
        if (text_[j] == closer && --nesting == 0) break;
      }
      if (j < end) {
        target = text_.substr(after + 1, j - after - 1);
        after = j + 1;
      }
    }
    const bool footnote = text_begin < text_end && text_[text_begin] == '^';
    if (image || footnote) return after;
    if (text_end > text_begin) {
      strip(text_begin, text_end);
    } else if (!target.empty() && opener_is_paren(close + 1)) {
      current_.append(target.substr(0, target.find(' ')));  // [](url): the address is all there is
    }
    return after;
  }

  bool opener_is_paren(std::size_t at) const { return at < text_.size() && text_[at] == '('; }

  // <https://example.com> is read as its address; <b>, </i>, <br/> are dropped.
  std::size_t angle_bracket(std::size_t i, std::size_t end) {
    std::size_t close = i + 1;
    while (close < end && close - i <= kMaxTagBytes && text_[close] != '>' && text_[close] != '<') ++close;
    if (close >= end || text_[close] != '>' || close == i + 1) {
      current_.push_back('<');
      return i + 1;
    }
    const std::string_view inside = text_.substr(i + 1, close - i - 1);
    if (inside.find("://") != std::string_view::npos || inside.starts_with("mailto:")) {
      current_.append(inside);
      return close + 1;
    }
    const char first = inside.front();
    if (std::isalpha(static_cast<unsigned char>(first)) || first == '/' || first == '!') {
      // A tag between two words ("one<br>two") still separates them.
      const bool between_words =
          !current_.empty() && is_word_byte(current_.back()) && close + 1 < end && is_word_byte(text_[close + 1]);
      if (between_words) current_.push_back(' ');
      return close + 1;
    }
    current_.push_back('<');
    return i + 1;
  }

  std::size_t entity(std::size_t i, std::size_t end) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kEntities = {{{"&amp;", "&"},
                                                                                                {"&lt;", "<"},
                                                                                                {"&gt;", ">"},
                                                                                                {"&quot;", "\""},
                                                                                                {"&#39;", "'"},
                                                                                                {"&apos;", "'"},
                                                                                                {"&nbsp;", " "}}};
    for (const auto& [name, value] : kEntities) {
      if (text_.substr(i, end - i).starts_with(name)) {
        current_.append(value);
        return i + name.size();
      }
    }
    current_.push_back('&');
    return i + 1;
  }

  void flush() {
    if (!current_.empty()) segments_.push_back({std::move(current_), false});
    current_.clear();
  }

  std::string_view text_;
  std::string current_;
  std::vector<SpeechSegment> segments_;
};

}  // namespace

std::vector<SpeechSegment> strip_inline_markdown(std::string_view sentence) { return InlineStripper(sentence).run(); }

}  // namespace linea::audio
