// Reads the encode goldens written by tools/tokenizer/make_goldens.py (tests/data/tokenizer/*.json).
#pragma once

#include "engine/tokenizer/tokenizer.h"
#include "tests/support/testdata.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace linea::test {

struct EncodeGolden {
  std::string text;  // UTF-8
  std::vector<tokenizer::TokenId> ids;
  std::vector<tokenizer::TokenId> ids_special_as_text;  // ids when special tokens are plain text
  std::string decoded;                                  // what the reference decodes `ids` to
};

inline std::vector<tokenizer::TokenId> to_ids(const QJsonArray& array) {
  std::vector<tokenizer::TokenId> ids;
  ids.reserve(static_cast<std::size_t>(array.size()));
  for (const QJsonValue& value : array) ids.push_back(value.toInt());
  return ids;
}

inline QJsonObject read_json_object(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) throw std::runtime_error("cannot open " + path.toStdString());
  QJsonParseError error;
  const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
  if (document.isNull()) throw std::runtime_error(path.toStdString() + ": " + error.errorString().toStdString());
  return document.object();
}

// `relative` is under tests/data/tokenizer/.
inline std::vector<EncodeGolden> read_encode_goldens(const QString& relative) {
  const QJsonObject root = read_json_object(sourcePath(QStringLiteral("tests/data/tokenizer/") + relative));
  std::vector<EncodeGolden> cases;
  for (const QJsonValue& value : root[QStringLiteral("cases")].toArray()) {
    const QJsonObject object = value.toObject();
    EncodeGolden golden;
    golden.text = object[QStringLiteral("text")].toString().toStdString();
    golden.ids = to_ids(object[QStringLiteral("ids")].toArray());
    golden.ids_special_as_text = object.contains(QStringLiteral("ids_special_as_text"))
                                     ? to_ids(object[QStringLiteral("ids_special_as_text")].toArray())
                                     : golden.ids;
    golden.decoded = object.contains(QStringLiteral("decoded"))
                         ? object[QStringLiteral("decoded")].toString().toStdString()
                         : golden.text;
    cases.push_back(std::move(golden));
  }
  return cases;
}

inline QString describe_ids(const std::vector<tokenizer::TokenId>& ids) {
  QStringList parts;
  for (tokenizer::TokenId id : ids) parts << QString::number(id);
  return QLatin1Char('[') + parts.join(QLatin1Char(',')) + QLatin1Char(']');
}

// Compares every golden; reports each mismatch (text, expected, got) and returns how many failed.
// `encode` is called as encode(text, allow_special).
template <typename Encode>
int count_encode_mismatches(const std::vector<EncodeGolden>& goldens, Encode encode, bool allow_special) {
  int failures = 0;
  for (std::size_t i = 0; i < goldens.size(); ++i) {
    const EncodeGolden& golden = goldens[i];
    const auto& expected = allow_special ? golden.ids : golden.ids_special_as_text;
    const std::vector<tokenizer::TokenId> got = encode(golden.text, allow_special);
    if (got == expected) continue;
    ++failures;
    qWarning("case %zu %s (allow_special=%d)\n  expected %s\n  got      %s", i,
             qPrintable(QString::fromStdString(golden.text).left(80).toHtmlEscaped()), allow_special,
             qPrintable(describe_ids(expected)), qPrintable(describe_ids(got)));
  }
  return failures;
}

}  // namespace linea::test
