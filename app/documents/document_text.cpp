#include "app/documents/document_text.h"

#include <QFile>
#include <QFileInfo>
#include <QStringDecoder>
#include <QTextDocument>

#include <poppler-qt6.h>

#include <memory>

namespace linea::documents {
namespace {

bool cancelled(const ReadOptions& options) { return options.cancel && options.cancel->load(); }

QByteArray readBytes(const QString& path, const ReadOptions& options) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly))
    throw DocumentError(QStringLiteral("%1: cannot be opened: %2").arg(path, file.errorString()).toStdString());
  if (file.size() > options.maxBytes)
    throw DocumentError(QStringLiteral("%1: %2 bytes is more than the %3 bytes a text document may have")
                            .arg(path)
                            .arg(file.size())
                            .arg(options.maxBytes)
                            .toStdString());
  return file.readAll();
}

QString htmlToText(const QString& html) {
  QTextDocument document;
  document.setHtml(html);  // drops tags, scripts and styles; keeps paragraphs and list items
  return document.toPlainText();
}

DocumentText readPdf(const QString& path, const ReadOptions& options) {
  std::unique_ptr<Poppler::Document> document = Poppler::Document::load(path);
  if (!document) throw DocumentError(QStringLiteral("%1: not a readable PDF").arg(path).toStdString());
  if (document->isLocked())
    throw DocumentError(QStringLiteral("%1: the PDF is password-protected").arg(path).toStdString());
  DocumentText result;
  result.path = path;
  result.format = DocumentFormat::pdf;
  result.pageCount = document->numPages();
  QStringList pages;
  for (int index = 0; index < result.pageCount; ++index) {
    if (cancelled(options)) throw DocumentCancelled();
    std::unique_ptr<Poppler::Page> page = document->page(index);
    const QString text = page ? page->text(QRectF()).trimmed() : QString();
    if (text.isEmpty()) result.pagesWithoutText.append(index);
    pages.append(text);
    if (options.progress) options.progress(index + 1, result.pageCount);
  }
  // A form feed between pages, as pdftotext does: the model sees where a page ends.
  result.text = pages.join(QLatin1Char('\f'));
  if (!result.pagesWithoutText.isEmpty())
    result.warnings << QStringLiteral("%1 of %2 pages have no text layer (scanned?)")
                           .arg(result.pagesWithoutText.size())
                           .arg(result.pageCount);
  return result;
}

}  // namespace

QString formatName(DocumentFormat format) {
  switch (format) {
    case DocumentFormat::plainText: return QStringLiteral("text");
    case DocumentFormat::markdown: return QStringLiteral("markdown");
    case DocumentFormat::html: return QStringLiteral("html");
    case DocumentFormat::sourceCode: return QStringLiteral("source");
    case DocumentFormat::pdf: return QStringLiteral("pdf");
  }
  return {};
}

DocumentFormat detectFormat(const QString& path) {
  QFile file(path);
  if (file.open(QIODevice::ReadOnly) && file.peek(5) == "%PDF-") return DocumentFormat::pdf;
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix == QLatin1String("pdf")) return DocumentFormat::pdf;
  if (suffix == QLatin1String("md") || suffix == QLatin1String("markdown")) return DocumentFormat::markdown;
  if (suffix == QLatin1String("html") || suffix == QLatin1String("htm") || suffix == QLatin1String("xhtml"))
    return DocumentFormat::html;
  static const QStringList sourceSuffixes = {
      "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "cu", "cuh", "py", "rs", "go", "java", "kt", "js", "ts", "tsx",
      "jsx", "rb", "php", "cs", "swift", "m", "mm", "scala", "sh", "bash", "zsh", "ps1", "lua", "pl", "r", "jl",
      "sql", "cmake", "json", "yaml", "yml", "toml", "ini", "xml", "css", "scss", "tex", "hs", "ml", "ex", "erl"};
  if (sourceSuffixes.contains(suffix) || QFileInfo(path).fileName() == QLatin1String("CMakeLists.txt") ||
      QFileInfo(path).fileName() == QLatin1String("Makefile"))
    return DocumentFormat::sourceCode;
  return DocumentFormat::plainText;
}

QString decodeText(const QByteArray& bytes, QStringList* warnings) {
  if (const auto encoding = QStringConverter::encodingForData(bytes)) {
    // A BOM (UTF-8/16/32) says exactly what the file is.
    QStringDecoder decoder(*encoding);
    QString text = decoder.decode(bytes);
    if (!decoder.hasError()) return text.startsWith(QChar(0xFEFF)) ? text.mid(1) : text;
  }
  QStringDecoder utf8(QStringConverter::Utf8);
  QString text = utf8.decode(bytes);
  if (!utf8.hasError()) return text;
  if (warnings) *warnings << QStringLiteral("not valid UTF-8; read as Latin-1");
  return QString::fromLatin1(bytes);
}

DocumentText readDocument(const QString& path, const ReadOptions& options) {
  if (!QFileInfo::exists(path)) throw DocumentError(QStringLiteral("%1: no such file").arg(path).toStdString());
  if (QFileInfo(path).isDir())
    throw DocumentError(QStringLiteral("%1: is a folder, not a document").arg(path).toStdString());
  const DocumentFormat format = detectFormat(path);
  if (format == DocumentFormat::pdf) return readPdf(path, options);

  DocumentText result;
  result.path = path;
  result.format = format;
  const QByteArray bytes = readBytes(path, options);
  if (cancelled(options)) throw DocumentCancelled();
  if (bytes.contains('\0') && !QStringConverter::encodingForData(bytes))
    throw DocumentError(QStringLiteral("%1: looks like a binary file (it contains NUL bytes), not text")
                            .arg(path)
                            .toStdString());
  const QString decoded = decodeText(bytes, &result.warnings);
  switch (format) {
    case DocumentFormat::html: result.text = htmlToText(decoded); break;
    // Markdown stays as written: headings, lists and code fences carry meaning the model understands.
    default: result.text = decoded; break;
  }
  if (options.progress) options.progress(1, 1);
  return result;
}

}  // namespace linea::documents
