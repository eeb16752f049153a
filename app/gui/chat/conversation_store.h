// Conversations on disk: one JSON file per conversation in a folder, each written atomically
// (QSaveFile: temporary file, sync, rename), so a crash mid-write leaves the old version intact and
// never damages the others. Files that cannot be read are reported and left untouched.
#pragma once

#include "app/gui/chat/conversation.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

namespace linea::gui {

class ConversationStore : public QObject {
  Q_OBJECT

 public:
  explicit ConversationStore(QString folder, QObject* parent = nullptr);

  // The default folder: <AppDataLocation>/conversations.
  static QString defaultFolder();

  // Reads every conversation file. Returns the problems found ("file: reason"), one per bad file.
  QStringList load();

  QList<QUuid> ids() const { return conversations_.keys(); }
  bool contains(const QUuid& id) const { return conversations_.contains(id); }
  const Conversation* find(const QUuid& id) const;
  int size() const { return static_cast<int>(conversations_.size()); }

  // Stores (creates or replaces) a conversation and writes it to disk. False with `error` on failure;
  // the in-memory copy is only updated when the file was written.
  bool save(const Conversation& conversation, QString* error = nullptr);
  bool rename(const QUuid& id, const QString& title, QString* error = nullptr);
  bool remove(const QUuid& id, QString* error = nullptr);

  QString filePath(const QUuid& id) const;
  const QString& folder() const { return folder_; }

 signals:
  void conversationSaved(const QUuid& id);
  void conversationRemoved(const QUuid& id);
  void reloaded();

 private:
  QString folder_;
  QHash<QUuid, Conversation> conversations_;
};

}  // namespace linea::gui
