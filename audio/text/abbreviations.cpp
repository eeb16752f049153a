#include "audio/text/abbreviations.h"

#include <array>
#include <cctype>

namespace linea::audio {
namespace {

using enum AbbreviationKind;
constexpr SpeechLanguage en = SpeechLanguage::english;
constexpr SpeechLanguage de = SpeechLanguage::german;

// Longer forms first where one ends with another ("z. B." before "B."), so the first match wins.
constexpr std::array<Abbreviation, 44> kAbbreviations = {{
    {"e.g.", "for example", en, inner},
    {"i.e.", "that is", en, inner},
    {"etc.", "et cetera", en, terminal},
    {"vs.", "versus", en, inner},
    {"approx.", "approximately", en, inner},
    {"cf.", "compare", en, inner},
    {"Mr.", "Mister", en, title},
    {"Mrs.", "Missus", en, title},
    {"Ms.", "Miz", en, title},
    {"Dr.", "Doctor", en, title},
    {"Prof.", "Professor", en, title},
    {"Jr.", "Junior", en, terminal},
    {"Sr.", "Senior", en, terminal},
    {"Fig.", "Figure", en, title},
    {"No.", "number", en, title, true},
    {"a.m.", "A M", en, terminal},
    {"p.m.", "P M", en, terminal},
    {"z. B.", "zum Beispiel", de, inner},
    {"z.B.", "zum Beispiel", de, inner},
    {"d. h.", "das heißt", de, inner},
    {"d.h.", "das heißt", de, inner},
    {"u. a.", "unter anderem", de, inner},
    {"u.a.", "unter anderem", de, inner},
    {"z. T.", "zum Teil", de, inner},
    {"o. Ä.", "oder Ähnliches", de, terminal},
    {"s. o.", "siehe oben", de, terminal},
    {"s. u.", "siehe unten", de, terminal},
    {"usw.", "und so weiter", de, terminal},
    {"bzw.", "beziehungsweise", de, inner},
    {"ca.", "circa", de, inner},
    {"vgl.", "vergleiche", de, inner},
    {"ggf.", "gegebenenfalls", de, inner},
    {"evtl.", "eventuell", de, inner},
    {"inkl.", "inklusive", de, inner},
    {"bspw.", "beispielsweise", de, inner},
    {"sog.", "sogenannte", de, inner},
    {"Mio.", "Millionen", de, inner},
    {"Mrd.", "Milliarden", de, inner},
    {"Nr.", "Nummer", de, title},
    {"Dr.", "Doktor", de, title},
    {"Prof.", "Professor", de, title},
    {"Hr.", "Herr", de, title},
    {"Fr.", "Frau", de, title},
    {"etc.", "et cetera", de, terminal},
}};

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

}  // namespace

std::span<const Abbreviation> abbreviations() { return kAbbreviations; }

const Abbreviation* abbreviation_ending_at(std::string_view text) {
  for (const Abbreviation& abbreviation : kAbbreviations) {
    const std::string_view written = abbreviation.written;
    if (text.size() < written.size()) continue;
    const std::size_t start = text.size() - written.size();
    if (!equal_ignoring_ascii_case(text.substr(start), written)) continue;
    if (start > 0) {
      const auto before = static_cast<unsigned char>(text[start - 1]);
      if (std::isalnum(before) || before >= 0x80 || before == '.') continue;
    }
    return &abbreviation;
  }
  return nullptr;
}

}  // namespace linea::audio
