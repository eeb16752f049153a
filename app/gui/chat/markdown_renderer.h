// Renders a message's Markdown (GitHub dialect) into a QTextDocument and makes code stand out:
// fenced blocks and inline code in a fixed-pitch font on a tinted background.
#pragma once

#include <QString>

class QTextDocument;

namespace linea::gui {

void renderMarkdown(QTextDocument& document, const QString& markdown);

// The document's code blocks as plain text, in order (for "copy code" and tests).
QStringList codeBlocks(const QTextDocument& document);

}  // namespace linea::gui
