// Splits text into sentences while it streams in, token by token, so the first sentence of a reply
// can be spoken before the rest exists. A sentence is emitted as soon as it is certainly complete;
// the result does not depend on how the text was cut into pieces.
//
// Boundaries: Latin . ! ? and … followed by whitespace (after closing quotes, brackets and Markdown
// emphasis marks); Chinese 。！？； and … right away; a blank line. Not a boundary: a decimal point
// ("3.14"), a period inside a word or URL ("example.com"), known abbreviations ("Dr.", "e.g.",
// "z. B."; "etc." and "usw." only when a capital follows), single-letter initials, a period before a
// lowercase word, a German ordinal before a month ("am 3. Mai"), and anything inside Markdown inline
// code or a link. A sentence that grows past a limit is cut after a comma-like mark.
//
// Input is UTF-8 and may be cut inside a character. Emitted sentences have their whitespace runs
// collapsed to single spaces and are never empty. Not thread-safe; one instance per stream.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace linea::audio {

struct SentenceSplitterOptions {
  // Past this many bytes without a sentence end, cut after ", " "; " ": " "，" "、" "：".
  std::size_t clause_split_bytes = 300;
  // A code span or link left open this long is taken as literal text, so a stray ` or [ cannot
  // hold speech back for the rest of a reply.
  std::size_t max_inline_span_bytes = 400;
};

class SentenceSplitter {
 public:
  explicit SentenceSplitter(SentenceSplitterOptions options = {});

  // Appends a piece; returns the sentences it completed, in order.
  std::vector<std::string> push(std::string_view piece);

  // End of input: returns the remaining sentences (the last one may lack a final mark). The splitter
  // is then empty and can take a new stream.
  std::vector<std::string> finish();

  // Drops everything pending.
  void reset();

  bool empty() const;  // nothing but whitespace pending

 private:
  enum class Step { advanced, boundary, need_more };

  void scan(bool at_end, std::vector<std::string>& sentences);
  Step step(bool at_end, std::size_t& boundary);
  Step latin_terminator(bool at_end, std::size_t& boundary);
  Step cjk_terminator(bool at_end, std::size_t& boundary);
  void emit_sentence(std::size_t end, std::vector<std::string>& sentences);

  SentenceSplitterOptions options_;
  std::string pending_;
  std::size_t scan_ = 0;  // bytes of pending_ already decided (no boundary inside)

  // Markdown inline state over pending_[0, scan_).
  std::size_t code_ticks_ = 0;  // length of the open backtick run; 0 outside code
  std::size_t code_start_ = 0;
  int bracket_depth_ = 0;
  std::size_t bracket_start_ = 0;
  int link_target_depth_ = 0;  // open parentheses of a "](...)" link target
  std::size_t link_target_start_ = 0;
};

}  // namespace linea::audio
