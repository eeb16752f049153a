// The languages whose text preparation Linea knows (numbers, abbreviations, "code omitted"), how a
// voice's language code maps onto them, and a cheap guess at the language of a piece of text.
#pragma once

#include <string_view>

namespace linea::audio {

enum class SpeechLanguage { english, german, chinese, other };

// "en", "en-US", "en-gb-x-rp" -> english; "de", "de-CH" -> german; "zh", "cmn", "yue", "zh-Hans" ->
// chinese; anything else -> other (markdown is still stripped, numbers are left to the voice).
SpeechLanguage language_from_code(std::string_view code);

// The code Linea uses for a language in voice lookups: "en", "de", "zh"; "" for other.
std::string_view language_code(SpeechLanguage language);

// Chinese when CJK ideographs make up a fifth of the letters; German when umlauts, ß or German
// function words outweigh English ones; English otherwise (also for empty text).
SpeechLanguage detect_language(std::string_view text);

}  // namespace linea::audio
