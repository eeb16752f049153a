// Turns one sentence (Markdown inline syntax already removed) into the words a voice should say:
// web addresses become "link to example dot com", abbreviations are expanded ("z. B." -> "zum
// Beispiel"), numbers are read (see spoken_numbers.h), "&" becomes "and", and a sentence without a
// final mark gets one so voices end it with a falling tone. Verbatim segments (inline code) pass
// through untouched.
#pragma once

#include "audio/text/inline_markdown.h"
#include "audio/text/speech_language.h"

#include <string>
#include <string_view>
#include <vector>

namespace linea::audio {

// "https://www.example.com/a?b" -> "link to example dot com" (German "Link zu ... Punkt ...",
// Chinese "链接 ... 点 ..."); `other` languages get the bare host name.
std::string replace_urls(std::string_view text, SpeechLanguage language);

// Expands the abbreviations of `language` (see abbreviations.h).
std::string expand_abbreviations(std::string_view text, SpeechLanguage language);

std::string normalize_for_speech(const std::vector<SpeechSegment>& segments, SpeechLanguage language);

}  // namespace linea::audio
