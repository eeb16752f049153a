// The conversation's messages, top to bottom, with a streaming reply at the end. Streamed text is
// collected and shown about every 30 ms, so a fast model never floods the GUI thread with repaints.
#pragma once

#include "app/gui/chat/conversation.h"

#include <QElapsedTimer>
#include <QScrollArea>
#include <QTimer>

class QLabel;
class QVBoxLayout;

namespace linea::gui {

class MessageWidget;

class ChatView : public QScrollArea {
  Q_OBJECT

 public:
  static constexpr int kStreamFlushIntervalMs = 30;

  explicit ChatView(QWidget* parent = nullptr);

  void setMessages(const QList<ChatMessage>& messages);
  void appendMessage(const ChatMessage& message);
  int messageCount() const { return static_cast<int>(messages_.size()); }
  MessageWidget* messageAt(int index) const { return messages_.value(index); }

  // A reply that arrives piece by piece.
  void beginReply();
  void appendToReply(const QString& piece);
  void finishReply();  // shows what is still buffered
  bool isStreaming() const { return streaming_; }
  QString replyText() const { return replyText_; }
  int replyRenderCount() const { return replyRenders_; }  // how often the reply was re-rendered

  void setPlaceholderText(const QString& text);

 signals:
  void editRequested(int messageIndex);
  void regenerateRequested();
  void speakRequested(const QString& markdown);
  void exportAudioRequested(const QString& markdown);

 private:
  MessageWidget* addWidget(const ChatMessage& message);
  void flushReply();
  void updateActions();
  void scrollToEndIfFollowing(bool wasAtEnd);
  bool atEnd() const;

  QWidget* content_ = nullptr;
  QVBoxLayout* layout_ = nullptr;
  QLabel* placeholder_ = nullptr;
  QList<MessageWidget*> messages_;
  QTimer flushTimer_;
  QString replyText_;
  bool replyDirty_ = false;
  bool streaming_ = false;
  int replyRenders_ = 0;
};

}  // namespace linea::gui
