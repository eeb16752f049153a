#include "engine/core/dtype.h"

#include <QTest>

class TestDType : public QObject {
  Q_OBJECT

 private slots:
  void geometryMatchesGgml_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<uint>("blockSize");
    QTest::addColumn<uint>("blockBytes");
    // model-spec §6.2: (block size, bytes per block)
    QTest::newRow("F32") << "F32" << 1u << 4u;
    QTest::newRow("BF16") << "BF16" << 1u << 2u;
    QTest::newRow("Q4_0") << "Q4_0" << 32u << 18u;
    QTest::newRow("Q4_1") << "Q4_1" << 32u << 20u;
    QTest::newRow("Q5_0") << "Q5_0" << 32u << 22u;
    QTest::newRow("Q5_1") << "Q5_1" << 32u << 24u;
    QTest::newRow("Q8_0") << "Q8_0" << 32u << 34u;
    QTest::newRow("Q4_K") << "Q4_K" << 256u << 144u;
    QTest::newRow("Q5_K") << "Q5_K" << 256u << 176u;
    QTest::newRow("Q6_K") << "Q6_K" << 256u << 210u;
    QTest::newRow("Q8_K") << "Q8_K" << 256u << 292u;
  }
  void geometryMatchesGgml() {
    QFETCH(QString, name);
    QFETCH(uint, blockSize);
    QFETCH(uint, blockBytes);
    const auto type = linea::dtype_from_name(name.toStdString());
    QVERIFY(type.has_value());
    QCOMPARE(linea::dtype_info(*type).block_size, blockSize);
    QCOMPARE(linea::dtype_info(*type).block_bytes, blockBytes);
    QCOMPARE(QString::fromLatin1(linea::dtype_name(*type).data(), linea::dtype_name(*type).size()), name);
  }

  void unknownNamesAreRejected() {
    QVERIFY(!linea::dtype_from_name("F17").has_value());
    QVERIFY(!linea::dtype_from_name("").has_value());
    QVERIFY(!linea::dtype_from_name("f32").has_value());  // spellings are exact
  }
};

QTEST_APPLESS_MAIN(TestDType)
#include "test_dtype.moc"
