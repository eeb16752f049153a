#include "engine/tokenizer/text_normalizer.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <stdexcept>

namespace linea::tokenizer {
namespace {

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

const icu::Normalizer2& normal_form(NormalizationStep step) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = nullptr;
  switch (step) {
    case NormalizationStep::nfc: normalizer = icu::Normalizer2::getNFCInstance(status); break;
    case NormalizationStep::nfd: normalizer = icu::Normalizer2::getNFDInstance(status); break;
    case NormalizationStep::nfkc: normalizer = icu::Normalizer2::getNFKCInstance(status); break;
    case NormalizationStep::nfkd: normalizer = icu::Normalizer2::getNFKDInstance(status); break;
    case NormalizationStep::lowercase: break;
  }
  if (U_FAILURE(status) || normalizer == nullptr)
    throw std::runtime_error(std::string("ICU normalizer unavailable: ") + u_errorName(status));
  return *normalizer;
}

// Lowercases one character at a time, without context (so a final capital sigma becomes σ, not ς),
// with each character's full mapping: what `tokenizers`' Lowercase does through Rust's
// char::to_lowercase. U+0130 is the only character whose unconditional full mapping differs from the
// simple one.
std::string lowercase_characters(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) c = 0xFFFD;  // unreachable for the valid UTF-8 callers pass
    if (c == 0x130) {
      out += "i\xcc\x87";  // i + COMBINING DOT ABOVE
      continue;
    }
    const UChar32 lower = u_tolower(c);
    char buffer[4];
    int32_t written = 0;
    U8_APPEND_UNSAFE(buffer, written, lower);
    out.append(buffer, static_cast<std::size_t>(written));
  }
  return out;
}

std::string normalize_with_icu(NormalizationStep step, std::string_view text) {
  if (step == NormalizationStep::lowercase) return lowercase_characters(text);
  std::string out;
  out.reserve(text.size());
  icu::StringByteSink<std::string> sink(&out);
  UErrorCode status = U_ZERO_ERROR;
  normal_form(step).normalizeUTF8(0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())), sink, nullptr,
                                  status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU normalization failed: ") + u_errorName(status));
  return out;
}

}  // namespace

TextNormalizer::TextNormalizer(std::vector<NormalizationStep> steps) : steps_(std::move(steps)) {}

std::string TextNormalizer::normalize(std::string_view text) const {
  std::string current(text);
  for (NormalizationStep step : steps_) {
    if (is_ascii(current)) {
      // ASCII is invariant under every normal form; lowercasing it needs no tables.
      if (step == NormalizationStep::lowercase)
        for (char& c : current)
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      continue;
    }
    current = normalize_with_icu(step, current);
  }
  return current;
}

}  // namespace linea::tokenizer
