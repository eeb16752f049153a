#include "audio/text/sentence_splitter.h"

#include "audio/text/abbreviations.h"
#include "audio/text/text_classes.h"
#include "audio/text/utf8_reader.h"

#include <algorithm>
#include <array>

namespace linea::audio {
namespace {

bool is_latin_terminator(char32_t c) { return c == '.' || c == '!' || c == '?' || c == U'…'; }
bool is_cjk_terminator(char32_t c) {
  return c == U'。' || c == U'！' || c == U'？' || c == U'；' || c == U'…' || c == U'!' || c == U'?';
}
bool is_latin_closer(char32_t c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == '*' || c == '_' || c == '~' || c == U'”' || c == U'’' ||
         c == U'»' || c == U'«';
}
bool is_cjk_closer(char32_t c) {
  return c == U'”' || c == U'’' || c == U'」' || c == U'』' || c == U'）' || c == U'》' || c == U'〉' || c == U'】' ||
         c == '"' || c == '\'' || c == ')' || c == '*' || c == '_';
}
bool is_clause_mark(char32_t c) { return c == ',' || c == ';' || c == ':'; }
bool is_cjk_clause_mark(char32_t c) { return c == U'，' || c == U'、' || c == U'：'; }

constexpr std::array<std::string_view, 12> kGermanMonths = {"Januar",    "Februar", "März",     "April",
                                                            "Mai",       "Juni",    "Juli",     "August",
                                                            "September", "Oktober", "November", "Dezember"};

// True when the bytes from `at` are the start of a UTF-8 sequence the buffer cuts off.
bool cut_character_at(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  if (at + length <= text.size()) return false;
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) return false;
  }
  return true;
}

// The code point that ends just before `at` (0 at the start).
char32_t previous_code_point(std::string_view text, std::size_t at) {
  if (at == 0) return 0;
  std::size_t start = at - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80 && at - start < 4) --start;
  return Utf8Reader(text, start).peek();
}

}  // namespace

SentenceSplitter::SentenceSplitter(SentenceSplitterOptions options) : options_(options) {}

std::vector<std::string> SentenceSplitter::push(std::string_view piece) {
  pending_.append(piece);
  std::vector<std::string> sentences;
  scan(false, sentences);
  return sentences;
}

std::vector<std::string> SentenceSplitter::finish() {
  std::vector<std::string> sentences;
  scan(true, sentences);
  emit_sentence(pending_.size(), sentences);
  reset();
  return sentences;
}

void SentenceSplitter::reset() {
  pending_.clear();
  scan_ = 0;
  code_ticks_ = 0;
  bracket_depth_ = 0;
  link_target_depth_ = 0;
}

bool SentenceSplitter::empty() const {
  return std::all_of(pending_.begin(), pending_.end(),
                     [](char c) { return is_ascii_space(static_cast<unsigned char>(c)); });
}

void SentenceSplitter::scan(bool at_end, std::vector<std::string>& sentences) {
  while (scan_ < pending_.size()) {
    std::size_t boundary = 0;
    const Step result = step(at_end, boundary);
    if (result == Step::need_more) return;
    if (result == Step::boundary) emit_sentence(boundary, sentences);
  }
}

void SentenceSplitter::emit_sentence(std::size_t end, std::vector<std::string>& sentences) {
  std::string sentence = collapse_whitespace(std::string_view(pending_).substr(0, end));
  pending_.erase(0, end);
  scan_ = 0;
  code_ticks_ = 0;
  bracket_depth_ = 0;
  link_target_depth_ = 0;
  if (!sentence.empty()) sentences.push_back(std::move(sentence));
}

SentenceSplitter::Step SentenceSplitter::step(bool at_end, std::size_t& boundary) {
  const std::string_view text = pending_;
  const std::size_t pos = scan_;
  if (cut_character_at(text, pos)) {
    if (!at_end) return Step::need_more;
    scan_ = text.size();
    return Step::advanced;
  }
  Utf8Reader reader(text, pos);
  const char32_t c = reader.next();
  const std::size_t next = reader.position();

  if (c == '`') {
    std::size_t run_end = pos;
    while (run_end < text.size() && text[run_end] == '`') ++run_end;
    if (run_end == text.size() && !at_end) return Step::need_more;
    const std::size_t run = run_end - pos;
    if (code_ticks_ == 0) {
      code_ticks_ = run;
      code_start_ = pos;
    } else if (run == code_ticks_) {
      code_ticks_ = 0;
    }
    scan_ = run_end;
    return Step::advanced;
  }
  if (code_ticks_ > 0) {
    if (pos - code_start_ <= options_.max_inline_span_bytes) {
      scan_ = next;
      return Step::advanced;
    }
    code_ticks_ = 0;  // a stray backtick: read on as plain text
  }
  if (link_target_depth_ > 0) {
    if (pos - link_target_start_ <= options_.max_inline_span_bytes) {
      if (c == '(') ++link_target_depth_;
      if (c == ')') --link_target_depth_;
      scan_ = next;
      return Step::advanced;
    }
    link_target_depth_ = 0;
  }
  if (c == '[') {
    if (bracket_depth_ == 0) bracket_start_ = pos;
    ++bracket_depth_;
    scan_ = next;
    return Step::advanced;
  }
  if (bracket_depth_ > 0) {
    if (pos - bracket_start_ <= options_.max_inline_span_bytes) {
      if (c == ']') {
        if (next == text.size() && !at_end) return Step::need_more;
        --bracket_depth_;
        if (bracket_depth_ == 0 && next < text.size() && text[next] == '(') {
          link_target_depth_ = 1;
          link_target_start_ = next;
          scan_ = next + 1;
          return Step::advanced;
        }
      }
      scan_ = next;
      return Step::advanced;
    }
    bracket_depth_ = 0;
  }

  if (c == '\n') {
    std::size_t look = next;
    while (look < text.size() && (text[look] == ' ' || text[look] == '\t' || text[look] == '\r')) ++look;
    if (look == text.size() && !at_end) return Step::need_more;
    if (look < text.size() && text[look] == '\n') {
      boundary = look + 1;
      return Step::boundary;
    }
    scan_ = next;
    return Step::advanced;
  }
  if (c == U'…' && is_cjk(previous_code_point(text, pos))) return cjk_terminator(at_end, boundary);
  if (is_latin_terminator(c)) return latin_terminator(at_end, boundary);
  if (is_cjk_terminator(c)) return cjk_terminator(at_end, boundary);

  if (pos >= options_.clause_split_bytes) {
    if (is_cjk_clause_mark(c)) {
      boundary = next;
      return Step::boundary;
    }
    if (is_clause_mark(c)) {
      if (next == text.size() && !at_end) return Step::need_more;
      if (next == text.size() || is_ascii_space(static_cast<unsigned char>(text[next]))) {
        boundary = next;
        return Step::boundary;
      }
    }
  }
  scan_ = next;
  return Step::advanced;
}

SentenceSplitter::Step SentenceSplitter::latin_terminator(bool at_end, std::size_t& boundary) {
  const std::string_view text = pending_;
  const std::size_t pos = scan_;
  bool exclamation_or_question = false;
  std::size_t run_end = pos;
  while (run_end < text.size()) {
    if (cut_character_at(text, run_end)) {
      if (!at_end) return Step::need_more;
      break;
    }
    Utf8Reader reader(text, run_end);
    const char32_t c = reader.next();
    if (!is_latin_terminator(c)) break;
    exclamation_or_question = exclamation_or_question || c == '!' || c == '?';
    run_end = reader.position();
  }
  std::size_t close_end = run_end;
  while (close_end < text.size()) {
    if (cut_character_at(text, close_end)) {
      if (!at_end) return Step::need_more;
      break;
    }
    Utf8Reader reader(text, close_end);
    if (!is_latin_closer(reader.next())) break;
    close_end = reader.position();
  }
  if (close_end == text.size() && !at_end) return Step::need_more;
  if (close_end < text.size() && !is_space(Utf8Reader(text, close_end).peek())) {
    scan_ = run_end;  // "3.14", "example.com", "e.g.,": the closers are scanned as ordinary text
    return Step::advanced;
  }
  std::size_t next_word = close_end;
  while (next_word < text.size() && is_ascii_space(static_cast<unsigned char>(text[next_word]))) ++next_word;
  if (next_word == text.size()) {
    if (!at_end) return Step::need_more;
    boundary = close_end;
    return Step::boundary;
  }
  if (cut_character_at(text, next_word) && !at_end) return Step::need_more;
  const char32_t following = Utf8Reader(text, next_word).peek();
  const auto not_a_boundary = [&] {
    scan_ = run_end;
    return Step::advanced;
  };

  if (!exclamation_or_question && text[pos] == '.') {
    if (const Abbreviation* abbreviation = abbreviation_ending_at(text.substr(0, pos + 1))) {
      if (abbreviation->kind != AbbreviationKind::terminal || !is_uppercase_letter(following)) return not_a_boundary();
      boundary = close_end;
      return Step::boundary;
    }
    std::size_t token_start = pos;
    while (token_start > 0 && !is_ascii_space(static_cast<unsigned char>(text[token_start - 1])) &&
           text[token_start - 1] != '(' && text[token_start - 1] != '"')
      --token_start;
    const std::string_view token = text.substr(token_start, pos - token_start);
    if (run_end == pos + 1 && token.size() == 1 && is_ascii_letter(static_cast<unsigned char>(token[0])))
      return not_a_boundary();  // an initial: "J. R. R. Tolkien", "z. B."
    if (!token.empty() && std::all_of(token.begin(), token.end(), [](char d) { return d >= '0' && d <= '9'; })) {
      std::size_t word_end = next_word;
      while (word_end < text.size() && !is_ascii_space(static_cast<unsigned char>(text[word_end])) &&
             text[word_end] != '.' && text[word_end] != ',')
        ++word_end;
      if (word_end == text.size() && !at_end) return Step::need_more;
      const std::string_view word = text.substr(next_word, word_end - next_word);
      if (std::find(kGermanMonths.begin(), kGermanMonths.end(), word) != kGermanMonths.end()) return not_a_boundary();
    }
  }
  if (!exclamation_or_question && is_lowercase_letter(following)) return not_a_boundary();
  boundary = close_end;
  return Step::boundary;
}

SentenceSplitter::Step SentenceSplitter::cjk_terminator(bool at_end, std::size_t& boundary) {
  const std::string_view text = pending_;
  std::size_t end = scan_;
  bool in_run = true;
  while (end < text.size()) {
    if (cut_character_at(text, end)) {
      if (!at_end) return Step::need_more;
      break;
    }
    Utf8Reader reader(text, end);
    const char32_t c = reader.next();
    if (in_run && is_cjk_terminator(c)) {
      end = reader.position();
      continue;
    }
    in_run = false;
    if (!is_cjk_closer(c)) break;
    end = reader.position();
  }
  if (end == text.size() && !at_end) return Step::need_more;
  boundary = end;
  return Step::boundary;
}

}  // namespace linea::audio
