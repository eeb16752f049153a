// The model entries of the File menu beyond "Open Model": a submenu of recent models and Model
// Details. Opening stays with the window (it owns the loading state); this asks for it by signal.
#pragma once

#include "app/gui/models/recent_models.h"

#include <QObject>

class QAction;
class QMenu;
class QWidget;

namespace linea::gui {

class EngineController;
struct ModelSummary;

class ModelMenu : public QObject {
  Q_OBJECT

 public:
  // `window` parents the menu and the details dialog and is watched for language changes.
  ModelMenu(EngineController& engine, QWidget* window);

  // Inserts "Open Recent Model" and "Model Details…" into `menu` before `before` (or at the end).
  void addTo(QMenu* menu, QAction* before = nullptr);

  QMenu* recentMenu() const { return recentMenu_; }
  QAction* detailsAction() const { return detailsAction_; }
  // Shows Model Details for the loaded model (window-modal, returns at once).
  void showDetails();

 signals:
  void openRequested(const QString& path);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void retranslate();
  void rebuildRecentMenu();
  void updateEnabled();

  EngineController& engine_;
  QWidget* window_;
  RecentModels recent_;
  QMenu* recentMenu_ = nullptr;
  QAction* detailsAction_ = nullptr;
};

}  // namespace linea::gui
