#include "app/gui/models/model_menu.h"

#include "app/gui/engine/engine_controller.h"
#include "app/gui/models/model_details_dialog.h"

#include <QAction>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QMenu>
#include <QWidget>

namespace linea::gui {

ModelMenu::ModelMenu(EngineController& engine, QWidget* window) : QObject(window), engine_(engine), window_(window) {
  recentMenu_ = new QMenu(window);
  recentMenu_->setObjectName(QStringLiteral("recentModelsMenu"));
  connect(recentMenu_, &QMenu::aboutToShow, this, &ModelMenu::rebuildRecentMenu);
  detailsAction_ = new QAction(this);
  detailsAction_->setObjectName(QStringLiteral("modelDetailsAction"));
  connect(detailsAction_, &QAction::triggered, this, &ModelMenu::showDetails);

  connect(&engine_, &EngineController::modelLoaded, this, [this](const ModelSummary& summary) {
    recent_.add(summary.path);
    rebuildRecentMenu();
    updateEnabled();
  });
  connect(&engine_, &EngineController::busyChanged, this, &ModelMenu::updateEnabled);
  window_->installEventFilter(this);
  retranslate();
  rebuildRecentMenu();
  updateEnabled();
}

void ModelMenu::addTo(QMenu* menu, QAction* before) {
  menu->insertMenu(before, recentMenu_);
  menu->insertAction(before, detailsAction_);
}

bool ModelMenu::eventFilter(QObject* watched, QEvent* event) {
  if (watched == window_ && event->type() == QEvent::LanguageChange) retranslate();
  return QObject::eventFilter(watched, event);
}

void ModelMenu::retranslate() {
  recentMenu_->setTitle(tr("Open &Recent Model"));
  detailsAction_->setText(tr("Model &Details…"));
  rebuildRecentMenu();
}

void ModelMenu::rebuildRecentMenu() {
  recentMenu_->clear();
  const QStringList paths = recent_.paths();
  for (const QString& path : paths) {
    QAction* action = recentMenu_->addAction(QFileInfo(path).fileName());
    action->setToolTip(QDir::toNativeSeparators(path));
    action->setStatusTip(QDir::toNativeSeparators(path));
    action->setData(path);
    action->setEnabled(!engine_.isBusy());
    connect(action, &QAction::triggered, this, [this, path] { emit openRequested(path); });
  }
  if (paths.isEmpty()) {
    recentMenu_->addAction(tr("No recent models"))->setEnabled(false);
    return;
  }
  recentMenu_->addSeparator();
  connect(recentMenu_->addAction(tr("&Clear List")), &QAction::triggered, this, [this] {
    recent_.clear();
    rebuildRecentMenu();
  });
}

void ModelMenu::updateEnabled() {
  detailsAction_->setEnabled(engine_.hasModel());
  for (QAction* action : recentMenu_->actions())
    if (action->data().isValid()) action->setEnabled(!engine_.isBusy());
}

void ModelMenu::showDetails() {
  if (!engine_.hasModel()) return;
  auto* dialog = new ModelDetailsDialog(engine_.model(), window_);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->open();
}

}  // namespace linea::gui
