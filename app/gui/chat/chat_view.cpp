#include "app/gui/chat/chat_view.h"

#include "app/gui/chat/message_widget.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QScrollBar>
#include <QVBoxLayout>

namespace linea::gui {

ChatView::ChatView(QWidget* parent) : QScrollArea(parent) {
  setObjectName(QStringLiteral("chatView"));
  setWidgetResizable(true);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setBackgroundRole(QPalette::Base);  // a page for the messages, like a text view
  content_ = new QWidget(this);
  content_->setBackgroundRole(QPalette::Base);
  content_->setAutoFillBackground(true);
  layout_ = new QVBoxLayout(content_);
  layout_->setContentsMargins(0, 0, 0, 0);
  layout_->setSpacing(4);
  placeholder_ = new QLabel(content_);
  placeholder_->setObjectName(QStringLiteral("chatPlaceholder"));
  placeholder_->setWordWrap(true);
  placeholder_->setAlignment(Qt::AlignCenter);
  placeholder_->setEnabled(false);  // drawn in the palette's disabled (grey) colour
  layout_->addWidget(placeholder_);
  layout_->addStretch(1);
  setWidget(content_);

  flushTimer_.setInterval(kStreamFlushIntervalMs);
  connect(&flushTimer_, &QTimer::timeout, this, &ChatView::flushReply);
}

void ChatView::setPlaceholderText(const QString& text) { placeholder_->setText(text); }

MessageWidget* ChatView::addWidget(const ChatMessage& message) {
  auto* widget = new MessageWidget(message.role, message.text, content_);
  if (!message.images.isEmpty()) widget->setImages(message.images, message.shownImage);
  layout_->insertWidget(layout_->count() - 1, widget);  // before the stretch
  messages_.append(widget);
  placeholder_->setVisible(false);
  connect(widget, &MessageWidget::copyRequested, this,
          [widget] { QGuiApplication::clipboard()->setText(widget->text()); });
  connect(widget, &MessageWidget::editRequested, this,
          [this, widget] { emit editRequested(static_cast<int>(messages_.indexOf(widget))); });
  connect(widget, &MessageWidget::regenerateRequested, this, &ChatView::regenerateRequested);
  connect(widget, &MessageWidget::speakRequested, this, [this, widget] { emit speakRequested(widget->text()); });
  connect(widget, &MessageWidget::exportAudioRequested, this,
          [this, widget] { emit exportAudioRequested(widget->text()); });
  return widget;
}

void ChatView::setMessages(const QList<ChatMessage>& messages) {
  flushTimer_.stop();
  streaming_ = false;
  qDeleteAll(messages_);
  messages_.clear();
  for (const ChatMessage& message : messages) {
    if (message.role != ChatMessage::Role::system) addWidget(message);
  }
  placeholder_->setVisible(messages_.isEmpty());
  updateActions();
  scrollToEndIfFollowing(true);
}

void ChatView::appendMessage(const ChatMessage& message) {
  const bool wasAtEnd = atEnd();
  addWidget(message);
  updateActions();
  scrollToEndIfFollowing(wasAtEnd);
}

void ChatView::beginReply() {
  const bool wasAtEnd = atEnd();
  addWidget({ChatMessage::Role::assistant, QString(), QDateTime()});
  replyText_.clear();
  replyDirty_ = false;
  replyRenders_ = 0;
  streaming_ = true;
  updateActions();
  flushTimer_.start();
  scrollToEndIfFollowing(wasAtEnd);
}

void ChatView::appendToReply(const QString& piece) {
  if (!streaming_) return;
  replyText_ += piece;
  replyDirty_ = true;  // shown by the next timer tick, not now
}

void ChatView::flushReply() {
  if (!replyDirty_ || messages_.isEmpty()) return;
  const bool wasAtEnd = atEnd();
  messages_.last()->setText(replyText_);
  replyDirty_ = false;
  ++replyRenders_;
  scrollToEndIfFollowing(wasAtEnd);
}

void ChatView::finishReply() {
  if (!streaming_) return;
  flushReply();
  flushTimer_.stop();
  streaming_ = false;
  updateActions();
}

void ChatView::updateActions() {
  for (int i = 0; i < messages_.size(); ++i) {
    MessageWidget* widget = messages_[i];
    widget->setActionsEnabled(!streaming_);
    widget->setRegenerateVisible(i == messages_.size() - 1 && widget->role() == ChatMessage::Role::assistant);
  }
}

bool ChatView::atEnd() const {
  const QScrollBar* bar = verticalScrollBar();
  return bar->value() >= bar->maximum() - 4;
}

void ChatView::scrollToEndIfFollowing(bool wasAtEnd) {
  // Follow the reply only if the user had not scrolled up to read something else.
  if (!wasAtEnd) return;
  QTimer::singleShot(0, this, [this] { verticalScrollBar()->setValue(verticalScrollBar()->maximum()); });
}

}  // namespace linea::gui
