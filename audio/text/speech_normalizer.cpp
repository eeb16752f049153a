#include "audio/text/speech_normalizer.h"

#include "audio/text/abbreviations.h"
#include "audio/text/spoken_numbers.h"
#include "audio/text/text_classes.h"
#include "audio/text/utf8_reader.h"

#include <array>
#include <cctype>

namespace linea::audio {
namespace {

bool is_url_end(char c) {
  return is_ascii_space(static_cast<unsigned char>(c)) || c == '<' || c == '>' || c == '"' || c == '`' || c == ')' ||
         c == ']' || c == '\'';
}

bool starts_url(std::string_view text, std::size_t at) {
  if (at > 0 && (std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '/')) return false;
  const std::string_view rest = text.substr(at);
  for (const std::string_view prefix : {"https://", "http://", "ftp://", "www."}) {
    if (rest.size() > prefix.size() && rest.starts_with(prefix)) return true;
  }
  return false;
}

std::string spoken_host(std::string_view url, SpeechLanguage language) {
  std::string_view rest = url;
  if (const std::size_t scheme = rest.find("://"); scheme != std::string_view::npos) rest.remove_prefix(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const std::size_t at = rest.find('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  rest = rest.substr(0, rest.find(':'));  // the port
  if (rest.starts_with("www.")) rest.remove_prefix(4);
  if (language == SpeechLanguage::other) return std::string(rest);
  const std::string_view dot = language == SpeechLanguage::german    ? " Punkt "
                               : language == SpeechLanguage::chinese ? " 点 "
                                                                     : " dot ";
  std::string host;
  for (const char c : rest) {
    if (c == '.')
      host.append(dot);
    else
      host.push_back(c);
  }
  switch (language) {
    case SpeechLanguage::german: return "Link zu " + host;
    case SpeechLanguage::chinese: return "链接 " + host;
    default: return "link to " + host;
  }
}

bool ends_with_terminal_mark(std::string_view text) {
  std::size_t end = text.size();
  // Skip closing quotes and brackets: 'He said "yes."' ends with a period.
  while (end > 0) {
    std::size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    const char32_t c = Utf8Reader(text, start).peek();
    if (c == '"' || c == '\'' || c == ')' || c == ']' || c == U'”' || c == U'’' || c == U'」' || c == U'』' ||
        c == U'）' || c == U'»') {
      end = start;
      continue;
    }
    return c == '.' || c == '!' || c == '?' || c == U'…' || c == U'。' || c == U'！' || c == U'？' || c == U'；' ||
           c == ':' || c == ';' || c == U'：';
  }
  return false;
}

}  // namespace

std::string replace_urls(std::string_view text, SpeechLanguage language) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!starts_url(text, i)) {
      out.push_back(text[i++]);
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && !is_url_end(text[end])) ++end;
    // Sentence punctuation after an address is not part of it.
    while (end > i && std::string_view(".,;:!?").find(text[end - 1]) != std::string_view::npos) --end;
    out.append(spoken_host(text.substr(i, end - i), language));
    i = end;
  }
  return out;
}

std::string expand_abbreviations(std::string_view text, SpeechLanguage language) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const bool word_start =
        i == 0 || is_ascii_space(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '(' || text[i - 1] == '"';
    const Abbreviation* match = nullptr;
    if (word_start) {
      for (const Abbreviation& abbreviation : abbreviations()) {
        if (abbreviation.language != language) continue;
        const std::string_view written = abbreviation.written;
        if (!text.substr(i).starts_with(written)) continue;
        const std::size_t after = i + written.size();
        if (after < text.size() && std::isalnum(static_cast<unsigned char>(text[after]))) continue;
        if (abbreviation.only_before_number) {
          std::size_t next = after;
          while (next < text.size() && text[next] == ' ') ++next;
          if (next >= text.size() || !std::isdigit(static_cast<unsigned char>(text[next]))) continue;
        }
        match = &abbreviation;
        break;
      }
    }
    if (match == nullptr) {
      out.push_back(text[i++]);
      continue;
    }
    out.append(match->spoken);
    i += match->written.size();
    // "etc." closing a sentence keeps its period as the sentence's end.
    if (i == text.size()) out.push_back('.');
  }
  return out;
}

std::string normalize_for_speech(const std::vector<SpeechSegment>& segments, SpeechLanguage language) {
  std::string joined;
  for (const SpeechSegment& segment : segments) {
    if (segment.verbatim) {
      joined.append(segment.text);
      continue;
    }
    std::string text = replace_urls(segment.text, language);
    text = expand_abbreviations(text, language);
    text = expand_numbers(text, language);
    std::string spoken;
    const std::string_view ampersand = language == SpeechLanguage::german    ? " und "
                                       : language == SpeechLanguage::chinese ? "和"
                                       : language == SpeechLanguage::english ? " and "
                                                                             : " & ";
    for (const char c : text) {
      if (c == '&')
        spoken.append(ampersand);
      else
        spoken.push_back(c);
    }
    joined.append(spoken);
  }
  std::string sentence = collapse_whitespace(joined);
  if (sentence.empty()) return sentence;
  // Drop list-like punctuation left hanging at the end ("Steps," from a table row) before the final mark.
  if (!ends_with_terminal_mark(sentence)) {
    while (!sentence.empty() && (sentence.back() == ',' || sentence.back() == ' ')) sentence.pop_back();
    sentence.append(language == SpeechLanguage::chinese ? "。" : ".");
  }
  return sentence;
}

}  // namespace linea::audio
