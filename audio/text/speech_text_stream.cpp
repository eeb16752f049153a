#include "audio/text/speech_text_stream.h"

#include "audio/text/inline_markdown.h"
#include "audio/text/speech_normalizer.h"
#include "audio/text/text_classes.h"
#include "audio/text/utf8_reader.h"

#include <algorithm>
#include <cctype>

namespace linea::audio {
namespace {

constexpr std::size_t kProseMemoryBytes = 4000;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Something worth saying: a letter, digit or ideograph (not only punctuation).
bool has_speakable_content(std::string_view text) {
  Utf8Reader reader(text);
  while (!reader.at_end()) {
    const char32_t c = reader.next();
    if (is_ascii_digit(c) || is_latin_letter(c) || (c >= 0x370 && c < 0x2000) || (c >= 0x3040 && c <= 0x9FFF) ||
        (c >= 0xAC00 && c <= 0xD7AF))
      return true;
  }
  return false;
}

}  // namespace

std::string_view code_omitted_phrase(SpeechLanguage language) {
  switch (language) {
    case SpeechLanguage::german: return "Code ausgelassen.";
    case SpeechLanguage::chinese: return "代码已省略。";
    default: return "Code omitted.";
  }
}

SpeechTextStream::SpeechTextStream(SpeechTextOptions options) : options_(options), splitter_(options.splitter) {}

std::vector<SpeechSentence> SpeechTextStream::push(std::string_view piece) {
  buffer_.append(piece);
  std::vector<SpeechSentence> out;
  process(false, out);
  return out;
}

std::vector<SpeechSentence> SpeechTextStream::finish() {
  std::vector<SpeechSentence> out;
  process(true, out);
  end_block(out);
  reset();
  return out;
}

void SpeechTextStream::reset() {
  splitter_.reset();
  buffer_.clear();
  mode_ = LineMode::line_start;
  previous_line_ = LineKind::none;
  previous_quote_depth_ = 0;
  in_list_ = false;
  in_fence_ = false;
  in_indented_code_ = false;
  prose_.clear();
}

void SpeechTextStream::process(bool at_end, std::vector<SpeechSentence>& out) {
  while (!buffer_.empty()) {
    if (mode_ == LineMode::line_start) {
      const Classification line = classify(at_end);
      if (line.need_more) return;
      if (!start_line(line, out)) return;
      continue;
    }
    const std::size_t newline = buffer_.find('\n');
    if (mode_ == LineMode::skip_line) {
      if (newline == std::string::npos) {
        buffer_.clear();
        return;
      }
      buffer_.erase(0, newline + 1);
      mode_ = LineMode::line_start;
      continue;
    }
    if (mode_ == LineMode::table_row) {
      if (newline == std::string::npos && !at_end) return;
      const std::size_t end = newline == std::string::npos ? buffer_.size() : newline;
      read_table_row(std::string_view(buffer_).substr(0, end), out);
      buffer_.erase(0, newline == std::string::npos ? buffer_.size() : newline + 1);
      mode_ = LineMode::line_start;
      continue;
    }
    // content or heading: read the line's text as it arrives
    if (newline == std::string::npos) {
      feed(buffer_, out);
      buffer_.clear();
      return;
    }
    std::string_view line = std::string_view(buffer_).substr(0, newline);
    if (line.ends_with('\r')) line.remove_suffix(1);
    feed(line, out);
    buffer_.erase(0, newline + 1);
    if (mode_ == LineMode::heading) {
      end_block(out);
    } else {
      feed(" ", out);  // a soft line break inside a paragraph
    }
    mode_ = LineMode::line_start;
  }
}

SpeechTextStream::Classification SpeechTextStream::classify(bool at_end) const {
  const std::string_view text = buffer_;
  const std::size_t newline = text.find('\n');
  const std::size_t line_end = newline == std::string_view::npos ? text.size() : newline;
  const bool whole_line = newline != std::string_view::npos || at_end;
  Classification line;

  std::size_t q = 0;
  int indent = 0;
  while (q < line_end && (text[q] == ' ' || text[q] == '\t')) indent += text[q++] == '\t' ? 4 : 1;
  if (q == line_end) {
    if (!whole_line) return {.need_more = true};
    line.kind = LineKind::blank;
    return line;
  }

  if (in_fence_) {
    line.kind = LineKind::code;
    if (text[q] != fence_char_) return line;
    if (!whole_line) return {.need_more = true};
    std::size_t run = q;
    while (run < line_end && text[run] == fence_char_) ++run;
    const bool only_space_after = std::all_of(text.begin() + static_cast<std::ptrdiff_t>(run),
                                              text.begin() + static_cast<std::ptrdiff_t>(line_end),
                                              [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
    if (run - q >= fence_length_ && only_space_after) line.kind = LineKind::fence;
    return line;
  }

  const bool code_may_start =
      previous_line_ == LineKind::none || previous_line_ == LineKind::blank || in_indented_code_;
  if (indent >= 4 && !in_list_ && code_may_start) {
    line.kind = LineKind::code;
    return line;
  }

  while (q < line_end && text[q] == '>') {
    ++line.quote_depth;
    ++q;
    while (q < line_end && (text[q] == ' ' || text[q] == '\t')) ++q;
  }
  if (q == line_end) {
    if (!whole_line) return {.need_more = true};
    line.kind = line.quote_depth > 0 ? LineKind::paragraph : LineKind::blank;
    line.content_offset = q;
    return line;
  }

  const char c = text[q];
  if (c == '`' || c == '~') {
    std::size_t run = q;
    while (run < line_end && text[run] == c) ++run;
    if (run == line_end && !whole_line) return {.need_more = true};
    if (run - q >= 3) {
      if (!whole_line) return {.need_more = true};
      line.kind = LineKind::fence;
      line.content_offset = run - q;  // the fence length, for the closing fence
      return line;
    }
  }
  if (c == '#') {
    std::size_t run = q;
    while (run < line_end && text[run] == '#') ++run;
    if (run == line_end && !whole_line) return {.need_more = true};
    if (run - q <= 6 && (run == line_end || text[run] == ' ' || text[run] == '\t' || text[run] == '\r')) {
      line.kind = LineKind::heading;
      line.content_offset = run;
      return line;
    }
  }
  if (c == '-' || c == '*' || c == '_' || c == '=' || c == '+') {
    // A thematic break ("---", "* * *") or a setext heading underline ("===") is only that character.
    std::size_t count = 0;
    std::size_t j = q;
    while (j < line_end && (text[j] == c || text[j] == ' ' || text[j] == '\t' || text[j] == '\r'))
      count += text[j++] == c;
    if (j == line_end && !whole_line) return {.need_more = true};
    if (j == line_end && c != '+' && count >= (c == '=' ? 2u : 3u)) {
      line.kind = LineKind::thematic;
      return line;
    }
    if ((c == '-' || c == '*' || c == '+') && q + 1 < line_end && (text[q + 1] == ' ' || text[q + 1] == '\t')) {
      line.kind = LineKind::list_item;
      line.content_offset = q + 2;
      return line;
    }
  }
  if (is_digit(c)) {
    std::size_t j = q;
    while (j < line_end && j - q < 9 && is_digit(text[j])) ++j;
    if (j + 1 >= line_end && !whole_line) return {.need_more = true};
    if (j < line_end && (text[j] == '.' || text[j] == ')') &&
        (j + 1 == line_end || text[j + 1] == ' ' || text[j + 1] == '\t' || text[j + 1] == '\r')) {
      line.kind = LineKind::list_item;
      line.content_offset = std::min(j + 2, line_end);
      return line;
    }
  }
  if (c == '|') {
    if (!whole_line) return {.need_more = true};
    line.kind = LineKind::table;
    line.content_offset = q;
    return line;
  }
  line.kind = LineKind::paragraph;
  line.content_offset = q;
  return line;
}

bool SpeechTextStream::start_line(const Classification& line, std::vector<SpeechSentence>& out) {
  const std::size_t newline = buffer_.find('\n');
  const auto skip_line = [&] { mode_ = LineMode::skip_line; };

  if (line.kind != LineKind::code && in_indented_code_) in_indented_code_ = false;
  switch (line.kind) {
    case LineKind::blank:
      end_block(out);
      buffer_.erase(0, newline == std::string::npos ? buffer_.size() : newline + 1);
      previous_line_ = LineKind::blank;
      return true;
    case LineKind::code:
      if (!in_fence_ && !in_indented_code_) {
        end_block(out);
        add_code_notice(out);
        in_indented_code_ = true;
      }
      previous_line_ = LineKind::code;
      skip_line();
      return true;
    case LineKind::fence:
      if (in_fence_) {
        in_fence_ = false;
      } else {
        end_block(out);
        add_code_notice(out);
        in_fence_ = true;
        const std::size_t start = buffer_.find_first_not_of(" \t>");
        fence_char_ = buffer_[start];
        fence_length_ = line.content_offset;
      }
      previous_line_ = LineKind::code;
      skip_line();
      return true;
    case LineKind::thematic:
      end_block(out);
      previous_line_ = LineKind::thematic;
      skip_line();
      return true;
    case LineKind::table:
      end_block(out);
      buffer_.erase(0, line.content_offset);
      previous_line_ = LineKind::table;
      mode_ = LineMode::table_row;
      return true;
    case LineKind::heading:
      end_block(out);
      buffer_.erase(0, line.content_offset);
      previous_line_ = LineKind::heading;
      mode_ = LineMode::heading;
      return true;
    case LineKind::list_item:
      end_block(out);
      in_list_ = true;
      buffer_.erase(0, line.content_offset);
      previous_line_ = LineKind::list_item;
      mode_ = LineMode::content;
      return true;
    case LineKind::paragraph:
    case LineKind::none: {
      const bool continues = (previous_line_ == LineKind::paragraph || previous_line_ == LineKind::list_item) &&
                             line.quote_depth == previous_quote_depth_;
      if (!continues) end_block(out);
      if (previous_line_ == LineKind::blank && line.content_offset < 2) in_list_ = false;
      previous_quote_depth_ = line.quote_depth;
      buffer_.erase(0, line.content_offset);
      if (previous_line_ != LineKind::list_item || !continues) previous_line_ = LineKind::paragraph;
      mode_ = LineMode::content;
      return true;
    }
  }
  return true;
}

void SpeechTextStream::feed(std::string_view text, std::vector<SpeechSentence>& out) {
  for (const std::string& raw : splitter_.push(text)) add_sentence(raw, out);
}

void SpeechTextStream::end_block(std::vector<SpeechSentence>& out) {
  for (const std::string& raw : splitter_.finish()) add_sentence(raw, out);
}

SpeechLanguage SpeechTextStream::current_language(std::string_view upcoming) const {
  if (options_.language) return *options_.language;
  if (prose_.empty() && upcoming.empty()) return SpeechLanguage::english;
  return detect_language(prose_ + " " + std::string(upcoming));
}

void SpeechTextStream::add_sentence(const std::string& raw, std::vector<SpeechSentence>& out) {
  const std::vector<SpeechSegment> segments = strip_inline_markdown(raw);
  std::string plain;
  for (const SpeechSegment& segment : segments) plain.append(segment.text);
  if (!has_speakable_content(plain)) return;
  const SpeechLanguage language = current_language(plain);
  if (prose_.size() < kProseMemoryBytes) prose_.append(" ").append(plain);
  std::string text = normalize_for_speech(segments, language);
  if (!text.empty()) out.push_back({std::move(text), language});
}

void SpeechTextStream::add_code_notice(std::vector<SpeechSentence>& out) {
  const SpeechLanguage language = current_language({});
  out.push_back({std::string(code_omitted_phrase(language)), language});
}

void SpeechTextStream::read_table_row(std::string_view line, std::vector<SpeechSentence>& out) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  // The row under the header ("|---|:--:|") only aligns columns.
  if (std::all_of(line.begin(), line.end(),
                  [](char c) { return c == '|' || c == '-' || c == ':' || c == ' ' || c == '\t'; }))
    return;
  std::vector<std::string> cells;
  std::string cell;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cell.push_back('|');
      ++i;
    } else if (line[i] == '|') {
      cells.push_back(collapse_whitespace(cell));
      cell.clear();
    } else {
      cell.push_back(line[i]);
    }
  }
  cells.push_back(collapse_whitespace(cell));
  std::string row;
  for (const std::string& text : cells) {
    if (text.empty()) continue;
    if (!row.empty()) row.append(", ");
    row.append(text);
  }
  feed(row, out);
  end_block(out);
}

std::vector<SpeechSentence> prepare_speech(std::string_view text, SpeechTextOptions options) {
  SpeechTextStream stream(options);
  std::vector<SpeechSentence> sentences = stream.push(text);
  for (SpeechSentence& sentence : stream.finish()) sentences.push_back(std::move(sentence));
  return sentences;
}

}  // namespace linea::audio
