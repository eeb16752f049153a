// GPT-2's vocab.json + merges.txt (the GPT2Tokenizer format MiniMax ships): the 64 published
// r50k_base vectors, and 330 goldens from transformers' GPT2Tokenizer (gpt2_encode.json).
#include "engine/tokenizer/tokenizer_loader.h"
#include "tests/engine/tokenizer/golden_cases.h"
#include "tests/support/testdata.h"

#include <QTest>

using namespace linea::tokenizer;
using linea::test::EncodeGolden;

namespace {

const QString kVocab = QStringLiteral("gpt2-bpe/vocab.json");

std::vector<EncodeGolden> read_r50k_vectors() {
  std::vector<EncodeGolden> vectors;
  const QString path = linea::test::testdataPath(QStringLiteral("gpt2-bpe/r50k_base_vectors.json"));
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return vectors;
  for (const QJsonValue& value : QJsonDocument::fromJson(file.readAll()).array()) {
    EncodeGolden golden;
    golden.text = value[QStringLiteral("text")].toString().toStdString();
    golden.ids = linea::test::to_ids(value[QStringLiteral("ids")].toArray());
    golden.ids_special_as_text = golden.ids;
    golden.decoded = golden.text;
    vectors.push_back(std::move(golden));
  }
  return vectors;
}

}  // namespace

class TestGpt2Bpe : public QObject {
  Q_OBJECT

  std::vector<EncodeGolden> vectors_ = read_r50k_vectors();
  std::vector<EncodeGolden> goldens_ = linea::test::read_encode_goldens(QStringLiteral("gpt2_encode.json"));
  LoadedTokenizer loaded_;

 private slots:
  void initTestCase() {
    if (!QFileInfo::exists(linea::test::testdataPath(kVocab))) return;
    loaded_ = load_tokenizer(linea::test::testdataPath(kVocab).toStdString());
  }

  void r50kVectors_data() {
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < vectors_.size(); ++i) QTest::addRow("%zu", i) << static_cast<int>(i);
  }
  void r50kVectors() {
    LINEA_REQUIRE_TESTDATA(QStringLiteral("gpt2-bpe/r50k_base_vectors.json"));
    QFETCH(int, index);
    const EncodeGolden& vector = vectors_[static_cast<std::size_t>(index)];
    QCOMPARE(loaded_.tokenizer->encode(vector.text, false), vector.ids);
    QCOMPARE(loaded_.tokenizer->decode(vector.ids), vector.text);
  }
  void allSixtyFourVectorsArePresent() {
    LINEA_REQUIRE_TESTDATA(QStringLiteral("gpt2-bpe/r50k_base_vectors.json"));
    QCOMPARE(vectors_.size(), std::size_t(64));
  }

  void goldens_data() {
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < goldens_.size(); ++i) QTest::addRow("%zu", i) << static_cast<int>(i);
  }
  void goldens() {
    LINEA_REQUIRE_TESTDATA(kVocab);
    QFETCH(int, index);
    const EncodeGolden& golden = goldens_[static_cast<std::size_t>(index)];
    QCOMPARE(loaded_.tokenizer->encode(golden.text, true), golden.ids);
    QCOMPARE(loaded_.tokenizer->encode(golden.text, false), golden.ids_special_as_text);
    QCOMPARE(loaded_.tokenizer->decode(golden.ids), golden.decoded);
  }

  void endOfTextIsTheSpecialTokenWithoutAConfig() {
    LINEA_REQUIRE_TESTDATA(kVocab);
    const Tokenizer& tokenizer = *loaded_.tokenizer;
    QCOMPARE(tokenizer.vocab_size(), std::size_t(50257));
    QCOMPARE(tokenizer.special_ids().eos, std::optional<TokenId>(50256));
    QVERIFY(tokenizer.is_special(50256));
    QCOMPARE(tokenizer.encode("a<|endoftext|>", true), (std::vector<TokenId>{64, 50256}));
    QCOMPARE(tokenizer.encode("a<|endoftext|>", false), (std::vector<TokenId>{64, 27, 91, 437, 1659, 5239, 91, 29}));
  }

  void folderLoadsTheSameTokenizer() {
    LINEA_REQUIRE_TESTDATA(kVocab);
    const LoadedTokenizer from_folder =
        load_tokenizer(linea::test::testdataPath(QStringLiteral("gpt2-bpe")).toStdString());
    QCOMPARE(from_folder.tokenizer->encode("Hello, World! 🌍", false),
             (std::vector<TokenId>{15496, 11, 2159, 0, 12520, 234, 235}));
  }
};

QTEST_APPLESS_MAIN(TestGpt2Bpe)
#include "test_gpt2_bpe.moc"
