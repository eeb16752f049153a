// Markdown reply text in, speakable sentences out, incrementally: feed the tokens of a streaming
// reply as they arrive and speak each sentence as soon as it is complete.
//
//   SpeechTextStream stream;                     // language detected from the text itself
//   for (token : reply) for (auto& s : stream.push(token)) speak(s.text, s.language);
//   for (auto& s : stream.finish()) speak(s.text, s.language);
//
// Block Markdown is handled line by line: headings, list items and table rows (cells joined with
// commas) each end a sentence; block quotes are read; thematic breaks are skipped; fenced and
// indented code blocks are skipped and replaced by one "Code omitted." sentence in the reply's
// language. Inline Markdown, web addresses, abbreviations and numbers are handled per sentence
// (inline_markdown.h, speech_normalizer.h). The sentences do not depend on how the text was cut
// into pieces. Not thread-safe: one instance per stream.
#pragma once

#include "audio/text/sentence_splitter.h"
#include "audio/text/speech_language.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace linea::audio {

struct SpeechSentence {
  std::string text;  // what the voice says
  SpeechLanguage language;
  bool operator==(const SpeechSentence&) const = default;
};

struct SpeechTextOptions {
  // Fixed language (e.g. the chosen voice's); nullopt detects it from the reply so far.
  std::optional<SpeechLanguage> language;
  SentenceSplitterOptions splitter;
};

// "Code omitted." in the language; English for `other`.
std::string_view code_omitted_phrase(SpeechLanguage language);

class SpeechTextStream {
 public:
  explicit SpeechTextStream(SpeechTextOptions options = {});

  std::vector<SpeechSentence> push(std::string_view piece);
  // End of the reply: the remaining sentences. The stream is then ready for a new reply.
  std::vector<SpeechSentence> finish();
  void reset();

 private:
  enum class LineMode { line_start, content, heading, skip_line, table_row };
  enum class LineKind { none, blank, paragraph, heading, list_item, table, code, fence, thematic };

  struct Classification {
    bool need_more = false;
    LineKind kind = LineKind::paragraph;
    std::size_t content_offset = 0;  // where the text to read starts (markers removed)
    int quote_depth = 0;
  };

  void process(bool at_end, std::vector<SpeechSentence>& out);
  Classification classify(bool at_end) const;
  bool start_line(const Classification& line, std::vector<SpeechSentence>& out);  // false: wait
  void feed(std::string_view text, std::vector<SpeechSentence>& out);
  void end_block(std::vector<SpeechSentence>& out);
  void add_sentence(const std::string& raw, std::vector<SpeechSentence>& out);
  void add_code_notice(std::vector<SpeechSentence>& out);
  void read_table_row(std::string_view line, std::vector<SpeechSentence>& out);
  SpeechLanguage current_language(std::string_view upcoming) const;

  SpeechTextOptions options_;
  SentenceSplitter splitter_;
  std::string buffer_;  // unread input, starting at the current position of the current line
  LineMode mode_ = LineMode::line_start;
  LineKind previous_line_ = LineKind::none;
  int previous_quote_depth_ = 0;
  bool in_list_ = false;
  bool in_fence_ = false;
  char fence_char_ = 0;
  std::size_t fence_length_ = 0;
  bool in_indented_code_ = false;
  std::string prose_;  // the reply's text so far (bounded), for language detection
};

// The whole text at once.
std::vector<SpeechSentence> prepare_speech(std::string_view text, SpeechTextOptions options = {});

}  // namespace linea::audio
