#include "app/gui/documents/document_library.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>

namespace linea::gui {
namespace {

constexpr int kRecordVersion = 1;
const QString kRecordFormat = QStringLiteral("linea-ingestion");

}  // namespace

DocumentLibrary::DocumentLibrary(QString conversationFolder) : conversationFolder_(std::move(conversationFolder)) {}

QString DocumentLibrary::folder() const { return QDir(conversationFolder_).filePath(QStringLiteral("documents")); }

QString DocumentLibrary::newJobId() { return QUuid::createUuid().toString(QUuid::WithoutBraces); }

QString DocumentLibrary::path(const QString& job, const char* suffix) const {
  return QDir(folder()).filePath(job + QLatin1String(suffix));
}

QString DocumentLibrary::stateFile(const QString& job) const { return path(job, ".lstate"); }
QString DocumentLibrary::checkpointFile(const QString& job) const { return path(job, ".checkpoint.lstate"); }
QString DocumentLibrary::textFile(const QString& job) const { return path(job, ".txt"); }
QString DocumentLibrary::recordFile(const QString& job) const { return path(job, ".ingestion"); }

QString DocumentLibrary::storedStatePath(const QString& job) const {
  return QStringLiteral("documents/") + job + QStringLiteral(".lstate");
}

QString DocumentLibrary::resolveStoredPath(const QString& stored) const {
  if (stored.isEmpty()) return {};
  return QDir::isAbsolutePath(stored) ? stored : QDir::cleanPath(QDir(conversationFolder_).filePath(stored));
}

bool DocumentLibrary::savePending(const PendingIngestion& pending, QString* error) {
  if (!QDir().mkpath(folder())) {
    if (error) *error = tr("Cannot create the folder %1.").arg(folder());
    return false;
  }
  const QJsonObject record{{"format", kRecordFormat},
                           {"version", kRecordVersion},
                           {"job", pending.job},
                           {"conversation", pending.conversation.toString(QUuid::WithoutBraces)},
                           {"sources", QJsonArray::fromStringList(pending.sources)},
                           {"model", pending.modelPath},
                           {"paused", pending.paused},
                           {"done_tokens", pending.doneTokens},
                           {"total_tokens", pending.totalTokens},
                           {"created", pending.created.toUTC().toString(Qt::ISODateWithMs)}};
  QSaveFile file(recordFile(pending.job));
  if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(record).toJson()) < 0 || !file.commit()) {
    if (error) *error = tr("Cannot write %1: %2").arg(file.fileName(), file.errorString());
    return false;
  }
  return true;
}

std::optional<PendingIngestion> DocumentLibrary::findPending(const QString& job) const {
  QFile file(recordFile(job));
  if (!file.open(QIODevice::ReadOnly)) return std::nullopt;
  const QJsonObject record = QJsonDocument::fromJson(file.readAll()).object();
  if (record.value("format").toString() != kRecordFormat || record.value("version").toInt() != kRecordVersion ||
      record.value("job").toString() != job)
    return std::nullopt;
  PendingIngestion pending;
  pending.job = job;
  pending.conversation = QUuid::fromString(record.value("conversation").toString());
  for (const QJsonValue& source : record.value("sources").toArray()) pending.sources << source.toString();
  pending.modelPath = record.value("model").toString();
  pending.paused = record.value("paused").toBool();
  pending.doneTokens = record.value("done_tokens").toInteger();
  pending.totalTokens = record.value("total_tokens").toInteger();
  pending.created = QDateTime::fromString(record.value("created").toString(), Qt::ISODateWithMs);
  if (pending.conversation.isNull() || pending.sources.isEmpty()) return std::nullopt;
  return pending;
}

QList<PendingIngestion> DocumentLibrary::pending(QStringList* problems) const {
  QList<PendingIngestion> found;
  const QDir dir(folder());
  for (const QString& name : dir.entryList({QStringLiteral("*.ingestion")}, QDir::Files, QDir::Name)) {
    const QString job = QFileInfo(name).completeBaseName();
    if (std::optional<PendingIngestion> pending = findPending(job))
      found.append(*pending);
    else if (problems)
      *problems << tr("%1: not a readable ingestion record").arg(dir.filePath(name));
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const PendingIngestion& a, const PendingIngestion& b) { return a.created < b.created; });
  return found;
}

IngestionRequest DocumentLibrary::requestFor(const PendingIngestion& pending) const {
  IngestionRequest request;
  request.job = pending.job;
  request.conversation = pending.conversation;
  request.sources = pending.sources;
  request.textFile = textFile(pending.job);
  request.checkpointFile = checkpointFile(pending.job);
  request.stateFile = stateFile(pending.job);
  return request;
}

void DocumentLibrary::finish(const QString& job) {
  QFile::remove(checkpointFile(job));
  QFile::remove(textFile(job));
  QFile::remove(recordFile(job));  // last: until it is gone, a restart would find the job again
}

void DocumentLibrary::discard(const QString& job) {
  finish(job);
  QFile::remove(stateFile(job));
}

QStringList DocumentLibrary::removeUnreferencedStates(const QSet<QString>& referenced) const {
  QSet<QString> keep;
  for (const QString& file : referenced) keep.insert(QDir::cleanPath(file));
  QStringList removed;
  const QDir dir(folder());
  for (const QString& name : dir.entryList({QStringLiteral("*.lstate")}, QDir::Files)) {
    if (name.endsWith(QLatin1String(".checkpoint.lstate"))) continue;  // belongs to a pending job
    const QString file = QDir::cleanPath(dir.filePath(name));
    const QString job = name.chopped(int(qstrlen(".lstate")));
    if (keep.contains(file) || QFileInfo::exists(recordFile(job))) continue;
    if (QFile::remove(file)) removed << file;
  }
  return removed;
}

}  // namespace linea::gui
