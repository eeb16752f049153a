#include "app/gui/chat/conversation_list_model.h"

#include "app/gui/chat/conversation_store.h"

#include <algorithm>

namespace linea::gui {

ConversationListModel::ConversationListModel(ConversationStore& store, QObject* parent)
    : QAbstractListModel(parent), store_(store) {
  connect(&store_, &ConversationStore::reloaded, this, &ConversationListModel::rebuild);
  connect(&store_, &ConversationStore::conversationSaved, this, &ConversationListModel::onSaved);
  connect(&store_, &ConversationStore::conversationRemoved, this, &ConversationListModel::onRemoved);
  rebuild();
}

void ConversationListModel::rebuild() {
  beginResetModel();
  ids_ = store_.ids();
  std::sort(ids_.begin(), ids_.end(), [this](const QUuid& a, const QUuid& b) {
    return store_.find(a)->updated > store_.find(b)->updated;
  });
  endResetModel();
}

int ConversationListModel::sortedPosition(const QUuid& id, int ignoreRow) const {
  const QDateTime updated = store_.find(id)->updated;
  int position = 0;
  for (int row = 0; row < ids_.size(); ++row) {
    if (row == ignoreRow) continue;
    if (store_.find(ids_[row])->updated > updated) ++position;
  }
  return position;
}

void ConversationListModel::onSaved(const QUuid& id) {
  const int row = static_cast<int>(ids_.indexOf(id));
  if (row < 0) {
    const int position = sortedPosition(id, -1);
    beginInsertRows({}, position, position);
    ids_.insert(position, id);
    endInsertRows();
    return;
  }
  const int target = sortedPosition(id, row);  // index among the other rows
  if (target != row) {
    // beginMoveRows wants the destination in "before removal" coordinates.
    beginMoveRows({}, row, row, {}, target > row ? target + 1 : target);
    ids_.move(row, target);
    endMoveRows();
  }
  const QModelIndex changed = index(target);
  emit dataChanged(changed, changed);
}

void ConversationListModel::onRemoved(const QUuid& id) {
  const int row = static_cast<int>(ids_.indexOf(id));
  if (row < 0) return;
  beginRemoveRows({}, row, row);
  ids_.removeAt(row);
  endRemoveRows();
}

int ConversationListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(ids_.size());
}

QVariant ConversationListModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= ids_.size()) return {};
  const Conversation* conversation = store_.find(ids_[index.row()]);
  if (!conversation) return {};
  switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
      return conversation->title.isEmpty() ? tr("Untitled conversation") : conversation->title;
    case Qt::ToolTipRole:
      return tr("%1 messages, last changed %2")
          .arg(conversation->messages.size())
          .arg(QLocale().toString(conversation->updated.toLocalTime(), QLocale::ShortFormat));
    case IdRole: return conversation->id;
    case UpdatedRole: return conversation->updated;
    case SearchTextRole: {
      QString text = conversation->title;
      for (const ChatMessage& message : conversation->messages) text += QLatin1Char('\n') + message.text;
      return text;
    }
    default: return {};
  }
}

bool ConversationListModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (role != Qt::EditRole || !index.isValid()) return false;
  const QString title = value.toString().trimmed();
  if (title.isEmpty()) return false;
  QString error;
  if (!store_.rename(ids_[index.row()], title, &error)) {
    emit renameFailed(error);
    return false;
  }
  return true;
}

Qt::ItemFlags ConversationListModel::flags(const QModelIndex& index) const {
  return QAbstractListModel::flags(index) | (index.isValid() ? Qt::ItemIsEditable : Qt::NoItemFlags);
}

QModelIndex ConversationListModel::indexOf(const QUuid& id) const {
  const int row = static_cast<int>(ids_.indexOf(id));
  return row < 0 ? QModelIndex() : index(row);
}

ConversationFilterModel::ConversationFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
  setFilterRole(ConversationListModel::SearchTextRole);
  setFilterCaseSensitivity(Qt::CaseInsensitive);
}

void ConversationFilterModel::setSearchText(const QString& text) { setFilterFixedString(text.trimmed()); }

}  // namespace linea::gui
