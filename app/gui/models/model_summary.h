// What the GUI knows about the loaded model: filled on the engine thread when a model opens (from the
// engine's ModelInfo and the weights' tensor table), then shown in the status bar and in Model Details.
#pragma once

#include <QMetaType>
#include <QString>

namespace linea {
struct ModelBundle;
}

namespace linea::gui {

struct ModelSummary {
  QString path;
  QString architecture;
  QString description;  // one line, from the engine
  QString format;
  QString tokenizer;    // where the tokenizer came from
  QString chatFormat;   // the chat family used
  QString weightTypes;  // tensor types by share of the weight bytes, e.g. "F16 98.7%, F32 1.3%"
  QString fingerprint;  // identity of the weights; state files made from them carry it
  qint64 vocabulary = 0;
  qint64 layers = 0;
  qint64 embedding = 0;
  qint64 parameters = 0;      // elements in all weight tensors
  qint64 contextLength = -1;  // tokens; -1 when only the recurrent state bounds it (no limit)
  quint64 weightBytes = 0;
  quint64 fileBytes = 0;   // on disk: the file, or every file of a model folder
  quint64 stateBytes = 0;          // memory of one conversation's session (its recurrent state)
  quint64 stateBytesPerToken = 0;  // plus this per token read (KV caches of softmax layers; 0 for RWKV)
};

// Reads what the summary needs from an opened bundle and its files. Runs on the engine thread (it
// maps the weights' tensor table once more). `chatFormat` is the family name the worker uses.
ModelSummary summarizeModel(const ModelBundle& bundle, const QString& path, const QString& chatFormat);

}  // namespace linea::gui

Q_DECLARE_METATYPE(linea::gui::ModelSummary)
