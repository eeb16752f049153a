#include "app/gui/about_dialog.h"

#include "audio/library_versions.h"
#include "engine/runtime/compute_backend.h"
#include "engine/version.h"
#include "vision/library_versions.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>

namespace linea::gui {

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("About Linea"));
  auto* layout = new QVBoxLayout(this);

  QString components = QStringLiteral("Qt %1").arg(QString::fromLatin1(qVersion()));
  for (const auto& versions : {vision::library_versions(), audio::library_versions()}) {
    for (const ComponentVersion& component : versions) {
      components += QStringLiteral(", %1 %2").arg(QString::fromStdString(component.name),
                                                  QString::fromStdString(component.version));
    }
  }

  auto* text = new QLabel(this);
  text->setObjectName(QStringLiteral("aboutText"));
  text->setWordWrap(true);
  text->setTextFormat(Qt::RichText);
  text->setText(
      tr("<h2>Linea %1</h2>"
         "<p>Local linear-attention language models with vision and voice.</p>"
         "<p>Licensed under the GNU General Public License, version 3 or later.</p>"
         "<p>Compute: %2</p><p>Built with %3.</p>")
          .arg(QString::fromLatin1(kVersion), QString::fromStdString(choose_compute_backend().reason).toHtmlEscaped(),
               components.toHtmlEscaped()));
  layout->addWidget(text);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
  resize(480, 300);
}

}  // namespace linea::gui
