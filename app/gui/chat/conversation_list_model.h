// The conversation list shown in the sidebar: newest first, live with the store, searchable through
// ConversationFilterModel (title and message text).
#pragma once

#include <QAbstractListModel>
#include <QSortFilterProxyModel>
#include <QUuid>
#include <QVector>

namespace linea::gui {

class ConversationStore;

class ConversationListModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Role { IdRole = Qt::UserRole + 1, UpdatedRole, SearchTextRole };

  explicit ConversationListModel(ConversationStore& store, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role) override;  // rename
  Qt::ItemFlags flags(const QModelIndex& index) const override;

  QModelIndex indexOf(const QUuid& id) const;
  QUuid idAt(int row) const { return ids_.value(row); }

 signals:
  void renameFailed(const QString& error);

 private:
  void rebuild();
  void onSaved(const QUuid& id);
  void onRemoved(const QUuid& id);
  int sortedPosition(const QUuid& id, int ignoreRow) const;  // where `id` belongs, newest first

  ConversationStore& store_;
  QVector<QUuid> ids_;
};

class ConversationFilterModel : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  explicit ConversationFilterModel(QObject* parent = nullptr);
  void setSearchText(const QString& text);
};

}  // namespace linea::gui
