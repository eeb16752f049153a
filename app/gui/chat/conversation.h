// One conversation as the user sees it: messages, its own system prompt and sampling settings, and
// (once a document was read) the state file that holds what the model read. Plain value type.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUuid>

#include <utility>

namespace linea::gui {

struct SamplingSettings {
  double temperature = 0.8;  // <= 0: greedy
  int topK = 40;             // 0: off
  double topP = 0.95;        // 1: off
  double minP = 0.05;        // 0: off
  double repetitionPenalty = 1.1;
  int maxNewTokens = 512;
  qint64 seed = -1;  // -1: a new random seed per reply

  QJsonObject toJson() const;
  static SamplingSettings fromJson(const QJsonObject& object);
  bool operator==(const SamplingSettings&) const = default;
};

struct ChatMessage {
  enum class Role { system, user, assistant };

  ChatMessage() = default;
  // Not an aggregate, so {role, text, created} stays valid as pictures were added.
  ChatMessage(Role role_, QString text_, QDateTime created_, QStringList images_ = {}, QString shownImage_ = {})
      : role(role_),
        text(std::move(text_)),
        created(std::move(created_)),
        images(std::move(images_)),
        shownImage(std::move(shownImage_)) {}

  Role role = Role::user;
  QString text;
  QDateTime created;
  QStringList images;  // picture files attached to the message (absolute paths), shown as thumbnails
  QString shownImage;  // the one of them the model saw (its <image> placeholder); empty: none

  static QString roleName(Role role);
  static bool roleFromName(const QString& name, Role* role);
  bool operator==(const ChatMessage&) const = default;
};

struct DocumentState {
  QString stateFile;          // path of the engine state file; empty when no document was read
  QStringList sourceFiles;    // the documents it was made from, for display
  qint64 tokenCount = 0;
  bool operator==(const DocumentState&) const = default;
};

struct Conversation {
  QUuid id;
  QString title;
  QDateTime created;
  QDateTime updated;
  QString systemPrompt;
  SamplingSettings sampling;
  QString modelPath;  // the model the conversation was last used with
  DocumentState document;
  QList<ChatMessage> messages;

  static Conversation createNew(const QString& title);

  QJsonObject toJson() const;
  // Returns false and sets `error` when a required field is missing or has the wrong type.
  static bool fromJson(const QJsonObject& object, Conversation* out, QString* error);
  bool operator==(const Conversation&) const = default;
};

}  // namespace linea::gui
