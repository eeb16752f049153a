// The status bar's voice corner: "Speaking…" with a Stop button while Linea reads aloud, "Exporting
// audio…" and then where the file went, and — from the first time it is noticed — that there is no
// audio output device (exporting still works).
#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;
class QToolButton;

namespace linea::gui {

class SpeechController;

class SpeakingIndicator : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kNoticeDurationMs = 6000;  // how long "saved …" stays

  explicit SpeakingIndicator(SpeechController& speech, QWidget* parent = nullptr);

  QString text() const;

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void refresh();
  void onExportFinished(const QString& path, const QString& error, double seconds);

  SpeechController& speech_;
  QLabel* label_ = nullptr;
  QToolButton* stopButton_ = nullptr;
  QString notice_;  // the last export's outcome, shown for a while
  QTimer noticeTimer_;
};

}  // namespace linea::gui
