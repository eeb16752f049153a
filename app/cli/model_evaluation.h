// Measurements of a model through the engine's own paths (tokenizer, chat template, Session, state
// files, vision tower): what `linea-cli evaluate` reports. The task files are JSON Lines written by
// tools/train/evaluation_sets.py; a bad line is an io::FormatError naming the file and line.
#pragma once

#include "engine/cpu/thread_pool.h"
#include "engine/runtime/model_bundle.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace linea::cli {

// Bits per byte of plain texts, each read from a fresh session that starts with `first_token`:
// Σ −log2 p(token | everything before it) over the texts' tokens ÷ their UTF-8 bytes.
// Lines: {"text": "..."}.
struct BitsPerByte {
  double bits_per_byte = 0;
  std::uint64_t tokens = 0;
  std::uint64_t bytes = 0;
  std::uint64_t texts = 0;
};
BitsPerByte measure_bits_per_byte(const ModelBundle& bundle, const std::shared_ptr<cpu::ThreadPool>& pool,
                                  const std::filesystem::path& task_file, const std::string& first_token);

// One answered task (reading or pictures).
struct TaskOutcome {
  std::string kind;      // the line's "kind"
  std::string expected;  // the reference answer
  std::string reply;     // the model's greedy reply, trimmed
  bool correct = false;  // reading: the reply holds the key; pictures: the reply equals the answer
  bool exact = false;    // the reply equals the reference answer
  std::uint64_t prompt_tokens = 0;
};

struct TaskScore {
  std::vector<TaskOutcome> outcomes;
  double accuracy() const;
  double exact() const;
};

// Reading long documents. Lines: {"kind", "document", "question", "answer", "key"}; the user turn is
// the document, a blank line and the question, in the model's chat format. With `through_state`, the
// session that read the document is saved to a state file, the file is loaded into a new session,
// and only that one hears the question: the answer must survive the state file.
// `progress(done, total)` is called after each task.
TaskScore evaluate_reading(const ModelBundle& bundle, const std::shared_ptr<cpu::ThreadPool>& pool,
                           const std::filesystem::path& task_file, bool through_state,
                           const std::function<void(std::size_t, std::size_t)>& progress = {});

// Describing pictures. Lines: {"image": path relative to the task file, "prompt", "answer", "kind"};
// the picture goes where MiniMax-VL-01's <image> placeholder opens the user turn, encoded by the
// vision tower beside `model_path` (open_vision_encoder).
TaskScore evaluate_pictures(const ModelBundle& bundle, const std::string& model_path,
                            const std::shared_ptr<cpu::ThreadPool>& pool, const std::filesystem::path& task_file,
                            const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace linea::cli
