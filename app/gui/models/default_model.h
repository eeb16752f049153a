// The small model that ships with Linea, so a fresh install works offline. This only finds it; the
// caller decides when to load it (on first start, when no model was opened before).
#pragma once

#include <QString>
#include <QStringList>

namespace linea::gui {

// Where a bundled default model may be, in the order tried (engine/runtime/default_model.h):
// $LINEA_DEFAULT_MODEL, <app dir>/models/default, <prefix>/share/linea/models/default.
QStringList defaultModelCandidates();

// The first candidate that exists (a file or a model folder); empty when no model is bundled.
QString bundledDefaultModelPath();

}  // namespace linea::gui
