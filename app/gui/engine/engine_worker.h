// The one thread where Linea's GUI runs the engine. The worker lives in that thread (moved there by
// EngineController) and talks to the GUI only through queued signals; the GUI thread never computes.
// Streamed text is sent in batches about every 30 ms, however fast the model is.
#pragma once

#include "app/gui/chat/conversation.h"
#include "app/gui/engine/ingestion_job.h"
#include "app/gui/models/model_summary.h"

#include <QElapsedTimer>
#include <QObject>
#include <QUuid>

#include <atomic>
#include <list>
#include <memory>
#include <utility>
#include <vector>

namespace linea {
struct ModelBundle;
class Session;
namespace cpu {
class ThreadPool;
}
namespace vision {
struct ImageEmbeddings;
class OcrEngine;
class VisionEncoder;
}  // namespace vision
}  // namespace linea

namespace linea::gui {

struct ReplyRequest {
  QUuid conversation;
  QString systemPrompt;
  QList<ChatMessage> messages;  // the conversation so far, ending with the user's message
                                // (a message's shownImage goes in as <image> at its start)
  SamplingSettings sampling;
  QString documentState;  // the conversation's document state file (absolute path); empty: none
};

struct ReplyStats {
  qint64 promptTokens = 0;  // tokens fed for this reply (after what the session already held)
  qint64 reusedTokens = 0;  // tokens of the prompt the cached session had already read
  qint64 replyTokens = 0;
  qint64 contextTokens = 0;    // tokens in the session after the reply
  double tokensPerSecond = 0;  // decode speed
  QString stopReason;
  qint64 documentTokens = 0;    // tokens of the prompt that are the document state's
  bool stateLoaded = false;     // this reply read the document state from its file
  double stateLoadSeconds = 0;  // how long reading it took
};

class EngineWorker : public QObject {
  Q_OBJECT

 public:
  static constexpr int kBatchIntervalMs = 30;
  static constexpr std::size_t kCachedSessions = 8;
  static constexpr std::size_t kCachedImages = 4;

  explicit EngineWorker(std::atomic_bool& stopFlag, QObject* parent = nullptr);
  ~EngineWorker() override;

 public slots:
  void loadModel(const QString& path);
  void generateReply(const linea::gui::ReplyRequest& request);
  // Reads documents into the request's conversation (see document_ingestion.h).
  void ingestDocuments(const linea::gui::IngestionRequest& request);
  // Recognises the text of a picture (OCR); the answer is imageTextRead or imageTextFailed.
  void readImageText(const QString& path);

 signals:
  // Sent just before modelLoaded: whether the model folder has a vision tower the model can use, and
  // if not, why (for the "Show to the model" tooltip).
  void visionChecked(bool available, const QString& whyNot);
  void modelLoaded(const linea::gui::ModelSummary& summary);
  void modelLoadFailed(const QString& path, const QString& error);
  void replyText(const QUuid& conversation, const QString& piece, double tokensPerSecond, qint64 contextTokens);
  void replyFinished(const QUuid& conversation, const QString& text, const linea::gui::ReplyStats& stats);
  void replyFailed(const QUuid& conversation, const QString& error);
  void ingestionProgress(const linea::gui::IngestionUpdate& update);
  void ingestionFinished(const linea::gui::IngestionOutcome& outcome);
  void ingestionFailed(const QString& job, const QUuid& conversation, const QString& error);
  void imageTextRead(const QString& path, const QString& text);
  void imageTextFailed(const QString& path, const QString& error);

 private:
  struct CachedSession;
  // The conversation's session, ready to continue with `prompt`: the cached one when it has read a
  // prefix of it, else one loaded from `documentState` (timed in `stats`), else an empty one.
  // `images` fingerprints the pictures in the prompt, in order: a session that read other pictures
  // behind the same placeholder tokens is not reused.
  CachedSession& sessionFor(const QUuid& conversation, const std::vector<std::int32_t>& prompt,
                            const QStringList& images, const QString& documentState, ReplyStats& stats);
  // The tokens a document state file holds (from its header; remembered per file).
  const std::vector<std::int32_t>& documentTokens(const QString& stateFile);
  // The picture's rows from the vision tower (remembered for the last few pictures).
  std::shared_ptr<const vision::ImageEmbeddings> imageEmbeddings(const QString& path, const QString& fingerprint);

  std::atomic_bool& stop_;
  std::unique_ptr<ModelBundle> bundle_;
  std::shared_ptr<cpu::ThreadPool> pool_;
  std::list<CachedSession> sessions_;                                        // most recently used first
  std::list<std::pair<QString, std::vector<std::int32_t>>> documentTokens_;  // most recently used first
  std::unique_ptr<vision::VisionEncoder> vision_;  // the model folder's vision tower; null: it cannot see
  std::list<std::pair<QString, std::shared_ptr<const vision::ImageEmbeddings>>> images_;  // by fingerprint
  // Made on first use.
  std::unique_ptr<vision::OcrEngine> ocr_;
};

}  // namespace linea::gui

Q_DECLARE_METATYPE(linea::gui::ReplyRequest)
Q_DECLARE_METATYPE(linea::gui::ReplyStats)
