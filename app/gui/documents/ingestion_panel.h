// The strip above the message box that says what happens to documents: while one is read, its
// progress (tokens done / total, tokens/s, time left, memory) and Cancel; when one was stopped,
// Resume and Discard; when the conversation has a document, what it is and "New Chat From This
// Document". Hidden otherwise. It only displays; DocumentWorkflow decides.
#pragma once

#include "app/gui/engine/ingestion_job.h"

#include <QFrame>
#include <QStringList>

class QLabel;
class QProgressBar;
class QPushButton;

namespace linea::gui {

class IngestionPanel : public QFrame {
  Q_OBJECT

 public:
  enum class Mode { hidden, running, paused, document };

  explicit IngestionPanel(QWidget* parent = nullptr);

  void showStarting(const QStringList& sources, bool resuming);
  void showProgress(const QStringList& sources, const IngestionUpdate& update);
  void showPaused(const QStringList& sources, qint64 done, qint64 total);
  void showDocument(const QStringList& sources, qint64 tokens);
  void showNothing();

  Mode mode() const { return mode_; }
  QString title() const;
  QString details() const;

  // "1:05", "1:02:05": a duration in seconds for the time left.
  static QString durationText(double seconds);
  // "a.pdf", "a.pdf, b.md", "a.pdf, b.md and 3 more": the documents by file name.
  static QString sourcesText(const QStringList& sources);

 signals:
  void cancelRequested();
  void resumeRequested();
  void discardRequested();
  void branchRequested();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void render();

  Mode mode_ = Mode::hidden;
  QStringList sources_;
  IngestionUpdate update_;
  bool hasUpdate_ = false;
  bool resuming_ = false;
  qint64 done_ = 0;
  qint64 total_ = 0;

  QLabel* title_ = nullptr;
  QLabel* details_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QPushButton* resume_ = nullptr;
  QPushButton* discard_ = nullptr;
  QPushButton* branch_ = nullptr;
};

}  // namespace linea::gui
