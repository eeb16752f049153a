// The models opened recently, newest first, kept in the application's settings ("model/recent") with
// the last one ("model/last") that the app reopens on start.
#pragma once

#include <QSettings>
#include <QStringList>

namespace linea::gui {

class RecentModels {
 public:
  static constexpr int kMaxEntries = 8;

  // Uses `settings` when given (tests pass their own file), else the application's settings.
  explicit RecentModels(QSettings* settings = nullptr);

  QStringList paths() const;
  QString last() const;
  // Moves `path` to the front (adding it when new) and makes it the last model.
  void add(const QString& path);
  void remove(const QString& path);
  void clear();

 private:
  QSettings& settings() const;

  QSettings* injected_ = nullptr;
  mutable QSettings own_;
};

}  // namespace linea::gui
