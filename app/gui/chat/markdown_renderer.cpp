#include "app/gui/chat/markdown_renderer.h"

#include <QFontDatabase>
#include <QStringList>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>

namespace linea::gui {
namespace {

bool isCodeBlock(const QTextBlock& block) {
  const QTextBlockFormat format = block.blockFormat();
  return format.hasProperty(QTextFormat::BlockCodeFence) || format.hasProperty(QTextFormat::BlockCodeLanguage) ||
         block.charFormat().fontFixedPitch();
}

}  // namespace

void renderMarkdown(QTextDocument& document, const QString& markdown) {
  document.setMarkdown(markdown, QTextDocument::MarkdownDialectGitHub);
  const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  const QColor codeBackground(0, 0, 0, 18);  // a tint that works on light and dark palettes

  QTextCursor cursor(&document);
  for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
    if (isCodeBlock(block)) {
      cursor.setPosition(block.position());
      QTextBlockFormat blockFormat = block.blockFormat();
      blockFormat.setBackground(codeBackground);
      blockFormat.setLeftMargin(8);
      blockFormat.setRightMargin(8);
      cursor.setBlockFormat(blockFormat);
      cursor.setPosition(block.position() + block.length() - 1, QTextCursor::KeepAnchor);
      QTextCharFormat charFormat;
      charFormat.setFont(fixed);
      charFormat.setFontFixedPitch(true);
      cursor.mergeCharFormat(charFormat);
      continue;
    }
    // Inline code: md4c marks it with a fixed-pitch character format.
    for (auto it = block.begin(); !it.atEnd(); ++it) {
      const QTextFragment fragment = it.fragment();
      if (!fragment.charFormat().fontFixedPitch()) continue;
      cursor.setPosition(fragment.position());
      cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
      QTextCharFormat charFormat;
      charFormat.setBackground(codeBackground);
      charFormat.setFont(fixed);
      charFormat.setFontFixedPitch(true);
      cursor.mergeCharFormat(charFormat);
    }
  }
}

QStringList codeBlocks(const QTextDocument& document) {
  QStringList blocks;
  QString current;
  bool inCode = false;
  for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
    const bool code = block.blockFormat().hasProperty(QTextFormat::BlockCodeFence) ||
                      block.blockFormat().hasProperty(QTextFormat::BlockCodeLanguage);
    if (code) {
      if (inCode) current += QLatin1Char('\n');
      current += block.text();
      inCode = true;
    } else if (inCode) {
      blocks << current;
      current.clear();
      inCode = false;
    }
  }
  if (inCode) blocks << current;
  return blocks;
}

}  // namespace linea::gui
