#include "app/gui/chat/conversation.h"

#include <QJsonArray>

namespace linea::gui {
namespace {

constexpr int kFormatVersion = 1;

QString isoTime(const QDateTime& time) { return time.toUTC().toString(Qt::ISODateWithMs); }

QDateTime parseTime(const QJsonValue& value) {
  return QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
}

}  // namespace

QJsonObject SamplingSettings::toJson() const {
  return {{"temperature", temperature}, {"top_k", topK},
          {"top_p", topP},             {"min_p", minP},
          {"repetition_penalty", repetitionPenalty},
          {"max_new_tokens", maxNewTokens},
          {"seed", seed}};
}

SamplingSettings SamplingSettings::fromJson(const QJsonObject& object) {
  SamplingSettings settings;  // missing keys keep their defaults (older files)
  settings.temperature = object.value("temperature").toDouble(settings.temperature);
  settings.topK = object.value("top_k").toInt(settings.topK);
  settings.topP = object.value("top_p").toDouble(settings.topP);
  settings.minP = object.value("min_p").toDouble(settings.minP);
  settings.repetitionPenalty = object.value("repetition_penalty").toDouble(settings.repetitionPenalty);
  settings.maxNewTokens = object.value("max_new_tokens").toInt(settings.maxNewTokens);
  settings.seed = object.value("seed").toInteger(settings.seed);
  return settings;
}

QString ChatMessage::roleName(Role role) {
  switch (role) {
    case Role::system: return QStringLiteral("system");
    case Role::user: return QStringLiteral("user");
    case Role::assistant: return QStringLiteral("assistant");
  }
  return {};
}

bool ChatMessage::roleFromName(const QString& name, Role* role) {
  for (Role candidate : {Role::system, Role::user, Role::assistant}) {
    if (roleName(candidate) == name) {
      *role = candidate;
      return true;
    }
  }
  return false;
}

Conversation Conversation::createNew(const QString& title) {
  Conversation conversation;
  conversation.id = QUuid::createUuid();
  conversation.title = title;
  conversation.created = conversation.updated = QDateTime::currentDateTimeUtc();
  return conversation;
}

QJsonObject Conversation::toJson() const {
  QJsonArray messageArray;
  for (const ChatMessage& message : messages) {
    QJsonObject messageObject{
        {"role", ChatMessage::roleName(message.role)}, {"text", message.text}, {"created", isoTime(message.created)}};
    // Only messages with pictures carry these keys, so older readers and files stay as they were.
    if (!message.images.isEmpty()) messageObject.insert("images", QJsonArray::fromStringList(message.images));
    if (!message.shownImage.isEmpty()) messageObject.insert("shown_image", message.shownImage);
    messageArray.append(messageObject);
  }
  return {{"format", "linea-conversation"},
          {"version", kFormatVersion},
          {"id", id.toString(QUuid::WithoutBraces)},
          {"title", title},
          {"created", isoTime(created)},
          {"updated", isoTime(updated)},
          {"system_prompt", systemPrompt},
          {"sampling", sampling.toJson()},
          {"model", modelPath},
          {"document", QJsonObject{{"state_file", document.stateFile},
                                   {"sources", QJsonArray::fromStringList(document.sourceFiles)},
                                   {"tokens", document.tokenCount}}},
          {"messages", messageArray}};
}

bool Conversation::fromJson(const QJsonObject& object, Conversation* out, QString* error) {
  if (object.value("format").toString() != QLatin1String("linea-conversation")) {
    *error = QStringLiteral("not a Linea conversation (\"format\" is not \"linea-conversation\")");
    return false;
  }
  const int version = object.value("version").toInt(-1);
  if (version != kFormatVersion) {
    *error = QStringLiteral("unsupported conversation format version %1 (this Linea reads %2)")
                 .arg(version)
                 .arg(kFormatVersion);
    return false;
  }
  Conversation conversation;
  conversation.id = QUuid::fromString(object.value("id").toString());
  if (conversation.id.isNull()) {
    *error = QStringLiteral("missing or invalid \"id\"");
    return false;
  }
  conversation.title = object.value("title").toString();
  conversation.created = parseTime(object.value("created"));
  conversation.updated = parseTime(object.value("updated"));
  conversation.systemPrompt = object.value("system_prompt").toString();
  conversation.sampling = SamplingSettings::fromJson(object.value("sampling").toObject());
  conversation.modelPath = object.value("model").toString();
  const QJsonObject document = object.value("document").toObject();
  conversation.document.stateFile = document.value("state_file").toString();
  for (const QJsonValue& source : document.value("sources").toArray())
    conversation.document.sourceFiles.append(source.toString());
  conversation.document.tokenCount = document.value("tokens").toInteger();

  const QJsonValue messages = object.value("messages");
  if (!messages.isArray()) {
    *error = QStringLiteral("\"messages\" is not an array");
    return false;
  }
  int index = 0;
  for (const QJsonValue& value : messages.toArray()) {
    const QJsonObject messageObject = value.toObject();
    ChatMessage message;
    if (!ChatMessage::roleFromName(messageObject.value("role").toString(), &message.role)) {
      *error = QStringLiteral("message %1 has an unknown role \"%2\"")
                   .arg(index)
                   .arg(messageObject.value("role").toString());
      return false;
    }
    if (!messageObject.value("text").isString()) {
      *error = QStringLiteral("message %1 has no text").arg(index);
      return false;
    }
    message.text = messageObject.value("text").toString();
    message.created = parseTime(messageObject.value("created"));
    for (const QJsonValue& image : messageObject.value("images").toArray()) message.images.append(image.toString());
    message.shownImage = messageObject.value("shown_image").toString();
    conversation.messages.append(message);
    ++index;
  }
  *out = std::move(conversation);
  return true;
}

}  // namespace linea::gui
