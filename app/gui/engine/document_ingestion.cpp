#include "app/gui/engine/document_ingestion.h"

#include "app/documents/document_text.h"
#include "app/gui/documents/document_prompt.h"
#include "engine/runtime/ingestion.h"
#include "engine/runtime/model_bundle.h"
#include "engine/runtime/process_memory.h"
#include "engine/runtime/session.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <optional>
#include <stdexcept>

namespace linea::gui {
namespace {

std::filesystem::path toPath(const QString& path) { return std::filesystem::path(path.toStdU16String()); }

// The translation context of this file's messages.
class DocumentIngestion {
  Q_DECLARE_TR_FUNCTIONS(DocumentIngestion)
};

// The documents' text in the model's chat format, read from the sources. Null when cancelled.
std::optional<std::string> extractDocuments(tokenizer::ChatFamily family, const IngestionRequest& request,
                                            const std::atomic_bool& cancel,
                                            const std::function<void(const IngestionUpdate&)>& report,
                                            QStringList* warnings) {
  QList<DocumentPart> parts;
  QElapsedTimer sinceUpdate;
  sinceUpdate.start();
  for (const QString& source : request.sources) {
    documents::ReadOptions options;
    options.cancel = &cancel;
    options.progress = [&](int done, int total) {
      if (done < total && sinceUpdate.elapsed() < kIngestionUpdateIntervalMs) return;
      sinceUpdate.restart();
      IngestionUpdate update;
      update.job = request.job;
      update.conversation = request.conversation;
      update.phase = IngestionUpdate::Phase::reading;
      update.currentFile = source;
      update.pagesDone = done;
      update.pagesTotal = total;
      update.memoryMiB = current_rss_mib();
      report(update);
    };
    documents::DocumentText document;
    try {
      document = documents::readDocument(source, options);
    } catch (const documents::DocumentCancelled&) {
      return std::nullopt;
    }
    const QString name = QFileInfo(source).fileName();
    for (const QString& warning : document.warnings) *warnings << QStringLiteral("%1: %2").arg(name, warning);
    if (document.text.trimmed().isEmpty())
      throw documents::DocumentError(DocumentIngestion::tr("%1 contains no text to read").arg(source).toStdString());
    parts.append({name, document.text});
  }
  return renderDocuments(family, parts);
}

void writeTextFile(const QString& path, const std::string& text) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) ||
      file.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size()) || !file.commit())
    throw std::runtime_error(DocumentIngestion::tr("Cannot write %1: %2").arg(path, file.errorString()).toStdString());
}

std::string readTextFile(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly))
    throw std::runtime_error(DocumentIngestion::tr("Cannot read %1: %2").arg(path, file.errorString()).toStdString());
  return file.readAll().toStdString();
}

}  // namespace

IngestionOutcome runIngestion(const ModelBundle& bundle, tokenizer::ChatFamily family, Session& session,
                              const IngestionRequest& request, const std::atomic_bool& cancel,
                              const std::function<void(const IngestionUpdate&)>& report) {
  IngestionOutcome outcome;
  outcome.job = request.job;
  outcome.conversation = request.conversation;
  outcome.stateFile = request.stateFile;

  // The text is extracted once: a resumed run reads what the first run kept, so it neither depends on
  // the source files still being there nor on them being unchanged.
  std::string text;
  if (QFileInfo::exists(request.textFile)) {
    text = readTextFile(request.textFile);
  } else {
    QElapsedTimer readClock;
    readClock.start();
    std::optional<std::string> extracted = extractDocuments(family, request, cancel, report, &outcome.warnings);
    outcome.readSeconds = static_cast<double>(readClock.elapsed()) / 1000.0;
    if (!extracted) {
      outcome.cancelled = true;
      return outcome;
    }
    text = std::move(*extracted);
    writeTextFile(request.textFile, text);
  }
  // Special tokens are allowed because the chat format's markers are part of the text (as for chat).
  const std::vector<std::int32_t> tokens = bundle.tokenizer->encode(text, /*allow_special=*/true);
  text.clear();
  text.shrink_to_fit();

  IngestionOptions options;
  options.chunk_size = 256;
  options.checkpoint_every = request.checkpointEvery;
  options.checkpoint_file = toPath(request.checkpointFile);
  options.resume = true;
  options.cancel = &cancel;
  QElapsedTimer sinceUpdate;
  sinceUpdate.start();
  // What a resume starts from, for the progress display (ingest() checks the checkpoint itself).
  const qint64 resumedFrom = std::filesystem::exists(options.checkpoint_file)
                                 ? static_cast<qint64>(read_state_file_header(options.checkpoint_file).token_count)
                                 : 0;
  options.on_progress = [&](const IngestionProgress& progress) {
    if (progress.done < progress.total && sinceUpdate.elapsed() < kIngestionUpdateIntervalMs) return;
    sinceUpdate.restart();
    IngestionUpdate update;
    update.job = request.job;
    update.conversation = request.conversation;
    update.phase = IngestionUpdate::Phase::ingesting;
    update.done = static_cast<qint64>(progress.done);
    update.total = static_cast<qint64>(progress.total);
    update.resumedFrom = resumedFrom;
    update.tokensPerSecond = progress.tokens_per_second;
    update.secondsLeft = progress.tokens_per_second > 0
                             ? static_cast<double>(progress.total - progress.done) / progress.tokens_per_second
                             : -1.0;
    update.memoryMiB = current_rss_mib();
    report(update);
  };
  const IngestionResult result = ingest(session, tokens, options);

  outcome.done = static_cast<qint64>(result.done);
  outcome.total = static_cast<qint64>(result.total);
  outcome.resumedFrom = static_cast<qint64>(result.resumed_from);
  outcome.ingestSeconds = result.seconds;
  outcome.tokensPerSecond = result.tokens_per_second;
  if (result.completed) {
    session.save(toPath(request.stateFile));
    outcome.completed = true;
  } else {
    // Keep exactly what was read, not only the last periodic checkpoint.
    session.save(toPath(request.checkpointFile));
    outcome.cancelled = true;
  }
  return outcome;
}

}  // namespace linea::gui
