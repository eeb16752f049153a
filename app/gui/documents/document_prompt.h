// How documents are put before a conversation in the model's own chat format: each document is one
// user turn ("Document: <name>" and its text) and the conversation continues after them. The
// document turns are what a state file holds; the chat turns are rendered afresh for every reply.
#pragma once

#include "engine/tokenizer/chat_template.h"

#include <QList>
#include <QString>

#include <span>
#include <string>

namespace linea::gui {

struct DocumentPart {
  QString name;  // shown to the model, e.g. the file name
  QString text;
};

// The document turns, with no reply opened after them.
std::string renderDocuments(tokenizer::ChatFamily family, const QList<DocumentPart>& documents);

// The conversation as it continues after renderDocuments(): the same as render_chat() except that
// families whose prompt opens with a start-of-document marker (MiniMax) do not open it a second time.
std::string renderChatAfterDocuments(tokenizer::ChatFamily family, std::span<const tokenizer::ChatMessage> messages);

}  // namespace linea::gui
