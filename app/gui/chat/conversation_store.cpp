#include "app/gui/chat/conversation_store.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSaveFile>
#include <QStandardPaths>

namespace linea::gui {

ConversationStore::ConversationStore(QString folder, QObject* parent) : QObject(parent), folder_(std::move(folder)) {}

QString ConversationStore::defaultFolder() {
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/conversations");
}

QString ConversationStore::filePath(const QUuid& id) const {
  return QDir(folder_).filePath(id.toString(QUuid::WithoutBraces) + QStringLiteral(".json"));
}

QStringList ConversationStore::load() {
  QStringList problems;
  conversations_.clear();
  const QDir dir(folder_);
  for (const QString& name : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
      problems << QStringLiteral("%1: cannot be read (%2)").arg(path, file.errorString());
      continue;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
      problems << QStringLiteral("%1: invalid JSON at byte %2 (%3)")
                      .arg(path)
                      .arg(parseError.offset)
                      .arg(parseError.errorString());
      continue;
    }
    Conversation conversation;
    QString error;
    if (!Conversation::fromJson(document.object(), &conversation, &error)) {
      problems << QStringLiteral("%1: %2").arg(path, error);
      continue;
    }
    if (filePath(conversation.id) != path) {
      problems << QStringLiteral("%1: its id %2 does not match its file name")
                      .arg(path, conversation.id.toString(QUuid::WithoutBraces));
      continue;
    }
    conversations_.insert(conversation.id, std::move(conversation));
  }
  emit reloaded();
  return problems;
}

const Conversation* ConversationStore::find(const QUuid& id) const {
  const auto it = conversations_.constFind(id);
  return it == conversations_.constEnd() ? nullptr : &*it;
}

bool ConversationStore::save(const Conversation& conversation, QString* error) {
  if (!QDir().mkpath(folder_)) {
    if (error) *error = tr("Cannot create the folder %1.").arg(folder_);
    return false;
  }
  const QString path = filePath(conversation.id);
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    if (error) *error = tr("Cannot write %1: %2").arg(path, file.errorString());
    return false;
  }
  file.write(QJsonDocument(conversation.toJson()).toJson(QJsonDocument::Indented));
  if (!file.commit()) {
    if (error) *error = tr("Cannot write %1: %2").arg(path, file.errorString());
    return false;
  }
  conversations_.insert(conversation.id, conversation);
  emit conversationSaved(conversation.id);
  return true;
}

bool ConversationStore::rename(const QUuid& id, const QString& title, QString* error) {
  const Conversation* existing = find(id);
  if (!existing) {
    if (error) *error = tr("No conversation with id %1.").arg(id.toString(QUuid::WithoutBraces));
    return false;
  }
  Conversation renamed = *existing;
  renamed.title = title;
  renamed.updated = QDateTime::currentDateTimeUtc();
  return save(renamed, error);
}

bool ConversationStore::remove(const QUuid& id, QString* error) {
  if (!contains(id)) {
    if (error) *error = tr("No conversation with id %1.").arg(id.toString(QUuid::WithoutBraces));
    return false;
  }
  const QString path = filePath(id);
  if (QFile::exists(path) && !QFile::remove(path)) {
    if (error) *error = tr("Cannot delete %1.").arg(path);
    return false;
  }
  conversations_.remove(id);
  emit conversationRemoved(id);
  return true;
}

}  // namespace linea::gui
