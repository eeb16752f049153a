// One message in the chat view: who said it, its rendered Markdown, and its actions (copy; speak and
// export as audio; edit for the user's messages; regenerate for the last reply). Its height follows
// its text.
#pragma once

#include "app/gui/chat/conversation.h"

#include <QFrame>

class QHBoxLayout;
class QLabel;
class QTextBrowser;
class QToolButton;

namespace linea::gui {

class MessageWidget : public QFrame {
  Q_OBJECT

 public:
  MessageWidget(ChatMessage::Role role, const QString& text, QWidget* parent = nullptr);

  void setText(const QString& markdown);
  const QString& text() const { return text_; }
  // Thumbnails of the message's pictures under its text; `shown` (one of them) is marked as the one
  // the model saw.
  void setImages(const QStringList& images, const QString& shown);
  const QStringList& images() const { return images_; }
  ChatMessage::Role role() const { return role_; }
  void setRegenerateVisible(bool visible);
  void setActionsEnabled(bool enabled);  // off while a reply streams
  QTextBrowser* browser() const { return browser_; }

 signals:
  void copyRequested();
  void editRequested();
  void regenerateRequested();
  void speakRequested();
  void exportAudioRequested();

 protected:
  void changeEvent(QEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void retranslate();
  void fitHeight();

  ChatMessage::Role role_;
  QString text_;
  QStringList images_;
  QString shownImage_;
  QHBoxLayout* imageRow_ = nullptr;
  QLabel* author_ = nullptr;
  QTextBrowser* browser_ = nullptr;
  QToolButton* copyButton_ = nullptr;
  QToolButton* editButton_ = nullptr;
  QToolButton* regenerateButton_ = nullptr;
  QToolButton* speakButton_ = nullptr;
  QToolButton* exportAudioButton_ = nullptr;
};

}  // namespace linea::gui
