// Markdown inline syntax removed from one sentence before it is spoken: emphasis marks, links
// (their text is read), images (skipped), HTML tags, escapes and entities. Inline code is kept,
// marked verbatim so that number and abbreviation reading leave it alone.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace linea::audio {

struct SpeechSegment {
  std::string text;
  bool verbatim = false;  // inline code: read as written
};

std::vector<SpeechSegment> strip_inline_markdown(std::string_view sentence);

}  // namespace linea::audio
