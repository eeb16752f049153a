// The one thread where Linea's GUI runs the engine. The worker lives in that thread (moved there by
// EngineController) and talks to the GUI only through queued signals; the GUI thread never computes.
// Streamed text is sent in batches about every 30 ms, however fast the model is.
#pragma once

#include "app/gui/chat/conversation.h"

#include <QElapsedTimer>
#include <QObject>
#include <QUuid>

#include <atomic>
#include <list>
#include <memory>

namespace linea {
struct ModelBundle;
class Session;
namespace cpu {
class ThreadPool;
}
}  // namespace linea

namespace linea::gui {

struct ModelSummary {
  QString path;
  QString architecture;
  QString description;  // one line, from the engine
  QString format;
  QString tokenizer;    // where the tokenizer came from
  QString chatFormat;   // the chat family used
  qint64 vocabulary = 0;
  qint64 layers = 0;
  quint64 weightBytes = 0;
};

struct ReplyRequest {
  QUuid conversation;
  QString systemPrompt;
  QList<ChatMessage> messages;  // the conversation so far, ending with the user's message
  SamplingSettings sampling;
};

struct ReplyStats {
  qint64 promptTokens = 0;      // tokens fed for this reply (after what the session already held)
  qint64 reusedTokens = 0;      // tokens of the prompt the cached session had already read
  qint64 replyTokens = 0;
  qint64 contextTokens = 0;     // tokens in the session after the reply
  double tokensPerSecond = 0;   // decode speed
  QString stopReason;
};

class EngineWorker : public QObject {
  Q_OBJECT

 public:
  static constexpr int kBatchIntervalMs = 30;
  static constexpr std::size_t kCachedSessions = 8;

  explicit EngineWorker(std::atomic_bool& stopFlag, QObject* parent = nullptr);
  ~EngineWorker() override;

 public slots:
  void loadModel(const QString& path);
  void generateReply(const linea::gui::ReplyRequest& request);

 signals:
  void modelLoaded(const linea::gui::ModelSummary& summary);
  void modelLoadFailed(const QString& path, const QString& error);
  void replyText(const QUuid& conversation, const QString& piece, double tokensPerSecond, qint64 contextTokens);
  void replyFinished(const QUuid& conversation, const QString& text, const linea::gui::ReplyStats& stats);
  void replyFailed(const QUuid& conversation, const QString& error);

 private:
  struct CachedSession;
  CachedSession& sessionFor(const QUuid& conversation, const std::vector<std::int32_t>& prompt);

  std::atomic_bool& stop_;
  std::unique_ptr<ModelBundle> bundle_;
  std::shared_ptr<cpu::ThreadPool> pool_;
  std::list<CachedSession> sessions_;  // most recently used first
};

}  // namespace linea::gui

Q_DECLARE_METATYPE(linea::gui::ModelSummary)
Q_DECLARE_METATYPE(linea::gui::ReplyRequest)
Q_DECLARE_METATYPE(linea::gui::ReplyStats)
