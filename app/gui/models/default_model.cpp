#include "app/gui/models/default_model.h"

#include "engine/runtime/default_model.h"

namespace linea::gui {

QStringList defaultModelCandidates() {
  QStringList candidates;
  for (const std::filesystem::path& candidate : default_model_candidates())
    candidates << QString::fromStdString(candidate.string());
  return candidates;
}

QString bundledDefaultModelPath() {
  const std::optional<std::filesystem::path> found = bundled_default_model();
  return found ? QString::fromStdString(found->string()) : QString();
}

}  // namespace linea::gui
