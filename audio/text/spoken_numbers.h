// Numbers read aloud in English, German and Chinese: cardinals, decimals, percentages, negative
// numbers, English ordinals ("21st"), years after a cue word ("in 1984"), clock times ("10:30"),
// version and address-like dotted numbers ("1.2.3"), and digit strings with leading zeros ("007").
#pragma once

#include "audio/text/speech_language.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace linea::audio {

// Largest value read as a whole number; longer digit strings are read digit by digit.
inline constexpr std::uint64_t kLargestSpokenNumber = 999'999'999'999'999ULL;

// Cardinal number words: 21 -> "twenty-one" / "einundzwanzig" / "二十一". English for `other`.
std::string spoken_cardinal(std::uint64_t value, SpeechLanguage language);

// English ordinal words: 21 -> "twenty-first".
std::string spoken_ordinal_english(std::uint64_t value);

// Each digit on its own: "007" -> "zero zero seven".
std::string spoken_digits(std::string_view digits, SpeechLanguage language);

// Replaces every number in `text` with words for `language`; `other` leaves the text unchanged.
// Numbers glued to the end of a word ("H100", "mp3") are left alone.
std::string expand_numbers(std::string_view text, SpeechLanguage language);

}  // namespace linea::audio
