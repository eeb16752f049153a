#include "audio/text/speech_language.h"

#include "audio/text/utf8_reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace linea::audio {
namespace {

std::string lowercase_ascii(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

bool is_cjk_ideograph(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF);
}

constexpr std::array kGermanWords = {"der",  "die",  "das", "und",  "ist", "nicht", "ein",  "eine",   "ich",  "sie",
                                     "mit",  "auf",  "für", "zu",   "den", "dem",   "wie",  "es",     "sich", "auch",
                                     "wird", "sind", "bei", "oder", "wir", "kann",  "über", "werden", "einen"};
constexpr std::array kEnglishWords = {"the",  "and",  "is",  "are", "of",    "to",   "in",    "it",   "that",
                                      "this", "with", "for", "you", "was",   "be",   "on",    "not",  "have",
                                      "can",  "will", "an",  "or",  "which", "from", "there", "they", "what"};

}  // namespace

SpeechLanguage language_from_code(std::string_view code) {
  const std::string lower = lowercase_ascii(code);
  const std::string primary = lower.substr(0, lower.find_first_of("-_"));
  if (primary == "en") return SpeechLanguage::english;
  if (primary == "de") return SpeechLanguage::german;
  if (primary == "zh" || primary == "cmn" || primary == "yue" || primary == "hak") return SpeechLanguage::chinese;
  return SpeechLanguage::other;
}

std::string_view language_code(SpeechLanguage language) {
  switch (language) {
    case SpeechLanguage::english: return "en";
    case SpeechLanguage::german: return "de";
    case SpeechLanguage::chinese: return "zh";
    case SpeechLanguage::other: return "";
  }
  return "";
}

SpeechLanguage detect_language(std::string_view text) {
  std::size_t ideographs = 0;
  std::size_t letters = 0;
  int german_score = 0;
  std::string word;
  auto finish_word = [&] {
    if (word.empty()) return;
    const std::string lower = lowercase_ascii(word);
    if (std::find(kGermanWords.begin(), kGermanWords.end(), lower) != kGermanWords.end()) ++german_score;
    if (std::find(kEnglishWords.begin(), kEnglishWords.end(), lower) != kEnglishWords.end()) --german_score;
    word.clear();
  };
  Utf8Reader reader(text);
  while (!reader.at_end()) {
    const std::size_t start = reader.position();
    const char32_t c = reader.next();
    if (is_cjk_ideograph(c)) {
      ++ideographs;
      finish_word();
      continue;
    }
    const bool umlaut = c == U'ä' || c == U'ö' || c == U'ü' || c == U'Ä' || c == U'Ö' || c == U'Ü' || c == U'ß';
    if (umlaut) german_score += 2;
    if (umlaut || (c < 0x80 && std::isalpha(static_cast<int>(c)))) {
      ++letters;
      word.append(text.substr(start, reader.position() - start));
    } else {
      finish_word();
    }
  }
  finish_word();
  if (ideographs > 0 && ideographs * 5 >= ideographs + letters) return SpeechLanguage::chinese;
  return german_score > 0 ? SpeechLanguage::german : SpeechLanguage::english;
}

}  // namespace linea::audio
