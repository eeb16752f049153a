// Turns a document the user dropped in (PDF, plain text, Markdown, HTML, source code) into the text
// the model reads. Runs on a worker thread: it is cancellable and reports progress per page.
// PDF pages without a text layer (scans) are listed so the caller can send them to OCR.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace linea::documents {

enum class DocumentFormat { plainText, markdown, html, sourceCode, pdf };

struct DocumentText {
  QString path;
  DocumentFormat format = DocumentFormat::plainText;
  QString text;
  int pageCount = 1;
  QList<int> pagesWithoutText;  // PDF pages (0-based) that have no text layer: candidates for OCR
  QStringList warnings;         // e.g. "decoded as Latin-1: not valid UTF-8"
};

struct ReadOptions {
  std::function<void(int done, int total)> progress;  // pages (PDF) or 1/1 for text files
  const std::atomic_bool* cancel = nullptr;
  qint64 maxBytes = qint64(2) << 30;  // refuse text files above 2 GiB: they would not fit a QString
};

class DocumentError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DocumentCancelled : public std::runtime_error {
 public:
  DocumentCancelled() : std::runtime_error("reading the document was cancelled") {}
};

// The format implied by the file's name and content (PDF magic wins over the extension).
DocumentFormat detectFormat(const QString& path);
QString formatName(DocumentFormat format);

// Reads the whole document. Throws DocumentError with a message naming the file and the problem.
DocumentText readDocument(const QString& path, const ReadOptions& options = {});

// Bytes of a text file to a QString: UTF-8 (with or without BOM), UTF-16/32 by BOM, else Latin-1
// with a warning. Exposed for tests.
QString decodeText(const QByteArray& bytes, QStringList* warnings);

}  // namespace linea::documents
