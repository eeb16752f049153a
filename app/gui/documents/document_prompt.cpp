#include "app/gui/documents/document_prompt.h"

#include <string_view>
#include <vector>

namespace linea::gui {
namespace {

constexpr std::string_view kMiniMaxDocumentStart = "<begin_of_document>";

}  // namespace

std::string renderDocuments(tokenizer::ChatFamily family, const QList<DocumentPart>& documents) {
  std::vector<tokenizer::ChatMessage> turns;
  for (const DocumentPart& document : documents) {
    const QString content = QStringLiteral("Document: %1\n\n%2").arg(document.name, document.text);
    turns.push_back({"user", content.toStdString(), {}, {}});
  }
  tokenizer::ChatOptions options;
  options.add_generation_prompt = false;
  return tokenizer::render_chat(family, turns, options);
}

std::string renderChatAfterDocuments(tokenizer::ChatFamily family, std::span<const tokenizer::ChatMessage> messages) {
  std::string rendered = tokenizer::render_chat(family, messages);
  if (family == tokenizer::ChatFamily::minimax && rendered.starts_with(kMiniMaxDocumentStart))
    rendered.erase(0, kMiniMaxDocumentStart.size());
  return rendered;
}

}  // namespace linea::gui
