#include "app/gui/models/model_summary.h"

#include "engine/models/model_files.h"
#include "engine/runtime/model_bundle.h"

#include <QDirIterator>
#include <QFileInfo>

#include <algorithm>
#include <map>
#include <vector>

namespace linea::gui {
namespace {

// "F16 98.7%, F32 1.3%": every tensor type by its share of the weight bytes, largest first.
QString weightTypesText(const io::TensorSource& tensors) {
  std::map<std::string, quint64> bytesByType;
  quint64 total = 0;
  for (const io::TensorInfo& tensor : tensors.tensors()) {
    bytesByType[std::string(dtype_name(tensor.dtype))] += tensor.size_bytes;
    total += tensor.size_bytes;
  }
  std::vector<std::pair<std::string, quint64>> sorted(bytesByType.begin(), bytesByType.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  QStringList parts;
  for (const auto& [name, bytes] : sorted) {
    const double share = total > 0 ? 100.0 * static_cast<double>(bytes) / static_cast<double>(total) : 0.0;
    parts << QStringLiteral("%1 %2%").arg(QString::fromStdString(name)).arg(share, 0, 'f', 1);
  }
  return parts.join(QStringLiteral(", "));
}

qint64 parameterCount(const io::TensorSource& tensors) {
  qint64 count = 0;
  for (const io::TensorInfo& tensor : tensors.tensors()) count += tensor.element_count();
  return count;
}

// The context length the files declare (GGUF <arch>.context_length, config.json
// max_position_embeddings); -1 when they declare none.
qint64 declaredContextLength(const ModelFiles& files) {
  if (files.gguf) {
    const std::string key = files.declared_architecture() + ".context_length";
    if (files.gguf->find_metadata(key)) return files.gguf->get_int(key);
  }
  if (files.config) {
    const auto found = files.config->find("max_position_embeddings");
    if (found != files.config->end() && found->is_number_integer()) return found->get<qint64>();
  }
  return -1;
}

quint64 bytesOnDisk(const QString& path) {
  const QFileInfo info(path);
  if (!info.isDir()) return static_cast<quint64>(info.size());
  quint64 total = 0;
  QDirIterator it(path, QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) total += static_cast<quint64>(QFileInfo(it.next()).size());
  return total;
}

}  // namespace

ModelSummary summarizeModel(const ModelBundle& bundle, const QString& path, const QString& chatFormat) {
  const ModelInfo& info = bundle.model->info();
  ModelSummary summary;
  summary.path = path;
  summary.architecture = QString::fromStdString(info.architecture);
  summary.description = QString::fromStdString(info.description);
  summary.format = QString::fromStdString(info.format);
  summary.tokenizer = QString::fromStdString(bundle.tokenizer_source);
  summary.chatFormat = chatFormat;
  summary.fingerprint = QString::fromStdString(info.fingerprint);
  summary.vocabulary = info.n_vocab;
  summary.layers = info.n_layer;
  summary.embedding = info.n_embd;
  summary.weightBytes = info.weight_bytes;
  summary.fileBytes = bytesOnDisk(path);
  summary.stateBytes = bundle.model->new_memory()->byte_size();
  summary.stateBytesPerToken = bundle.model->info().memory_bytes_per_token;
  // The loader has just read these files, so opening them again only maps the tensor table.
  const ModelFiles files = open_model_files(path.toStdString());
  summary.weightTypes = weightTypesText(*files.tensors);
  summary.parameters = parameterCount(*files.tensors);
  summary.contextLength = declaredContextLength(files);
  return summary;
}

}  // namespace linea::gui
