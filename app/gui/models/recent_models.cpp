#include "app/gui/models/recent_models.h"

#include <QDir>
#include <QFileInfo>

namespace linea::gui {
namespace {

const QString kRecentKey = QStringLiteral("model/recent");
const QString kLastKey = QStringLiteral("model/last");

// One spelling per model, so that the same file opened two ways is listed once.
QString canonical(const QString& path) { return QDir::cleanPath(QFileInfo(path).absoluteFilePath()); }

}  // namespace

RecentModels::RecentModels(QSettings* settings) : injected_(settings) {}

QSettings& RecentModels::settings() const { return injected_ ? *injected_ : own_; }

QStringList RecentModels::paths() const { return settings().value(kRecentKey).toStringList(); }

QString RecentModels::last() const { return settings().value(kLastKey).toString(); }

void RecentModels::add(const QString& path) {
  const QString entry = canonical(path);
  QStringList list = paths();
  list.removeAll(entry);
  list.prepend(entry);
  while (list.size() > kMaxEntries) list.removeLast();
  settings().setValue(kRecentKey, list);
  settings().setValue(kLastKey, entry);
}

void RecentModels::remove(const QString& path) {
  QStringList list = paths();
  list.removeAll(canonical(path));
  settings().setValue(kRecentKey, list);
}

void RecentModels::clear() { settings().remove(kRecentKey); }

}  // namespace linea::gui
