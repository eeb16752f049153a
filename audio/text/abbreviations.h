// Abbreviations the sentence splitter must not end a sentence at, and how each is read aloud.
#pragma once

#include "audio/text/speech_language.h"

#include <span>
#include <string_view>

namespace linea::audio {

enum class AbbreviationKind {
  title,     // stands before a name or number and never ends a sentence: "Dr.", "Nr."
  inner,     // sits inside a phrase and never ends a sentence: "e.g.", "z. B."
  terminal,  // may end a sentence, which it does when the next word starts with a capital: "etc.", "usw."
};

struct Abbreviation {
  std::string_view written;  // as written, with its periods (and the space in "z. B.")
  std::string_view spoken;
  SpeechLanguage language;
  AbbreviationKind kind;
  bool only_before_number = false;  // "No. 5" is "number 5", but "No. I won't." is not
};

std::span<const Abbreviation> abbreviations();

// The abbreviation (of any language) that `text` ends with, starting at a word boundary; matched
// ignoring ASCII case, so "E.g." at a sentence start counts. nullptr when there is none.
const Abbreviation* abbreviation_ending_at(std::string_view text);

}  // namespace linea::audio
