// Help → About: version, licence, and the libraries this build is linked against.
#pragma once

#include <QDialog>

namespace linea::gui {

class AboutDialog : public QDialog {
  Q_OBJECT

 public:
  explicit AboutDialog(QWidget* parent = nullptr);
};

}  // namespace linea::gui
