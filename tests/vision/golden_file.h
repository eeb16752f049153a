// Loads a committed golden JSON file from tests/data/vision (written by tools/vision/make_goldens.py).
#pragma once

#include "tests/support/testdata.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

namespace linea::test {

inline QJsonObject load_vision_golden(const QString& name) {
  QFile file(sourcePath(QStringLiteral("tests/data/vision/") + name));
  if (!file.open(QIODevice::ReadOnly)) qFatal("cannot open golden %s", qPrintable(file.fileName()));
  QJsonParseError error{};
  const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
  if (document.isNull()) qFatal("golden %s: %s", qPrintable(file.fileName()), qPrintable(error.errorString()));
  return document.object();
}

// FNV-1a 64 over raw bytes, as make_goldens.py hashes float32 tensors.
inline std::uint64_t fnv1a64(const void* data, std::size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (std::size_t i = 0; i < size; ++i) {
    h ^= bytes[i];
    h *= 0x100000001B3ull;
  }
  return h;
}

}  // namespace linea::test
