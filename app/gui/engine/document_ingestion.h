// One ingestion job on the engine thread: extract the documents' text (or take it from an earlier,
// interrupted run), render it in the model's chat format, tokenize it, and read it into a session
// with the engine's checkpointed ingestion. A cancel saves the session to the checkpoint, so the
// next run resumes exactly where this one stopped; a crash resumes from the last checkpoint.
#pragma once

#include "app/gui/engine/ingestion_job.h"
#include "engine/tokenizer/chat_template.h"

#include <atomic>
#include <functional>

namespace linea {
struct ModelBundle;
class Session;
}  // namespace linea

namespace linea::gui {

// How often progress is reported at most (the last update always comes).
inline constexpr int kIngestionUpdateIntervalMs = 100;

// Runs `request` into `session` (which must be empty). Returns how it ended; on completion the state
// is in request.stateFile. Throws (documents::DocumentError, std::runtime_error, io::FormatError) with
// a message naming the file when a document cannot be read or a checkpoint does not fit.
IngestionOutcome runIngestion(const ModelBundle& bundle, tokenizer::ChatFamily family, Session& session,
                              const IngestionRequest& request, const std::atomic_bool& cancel,
                              const std::function<void(const IngestionUpdate&)>& report);

}  // namespace linea::gui
