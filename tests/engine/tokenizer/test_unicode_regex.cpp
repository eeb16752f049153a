#include "engine/tokenizer/pre_tokenizer.h"
#include "engine/tokenizer/unicode_regex.h"

#include <QTest>

using namespace linea::tokenizer;

namespace {

QStringList split_gpt2(const std::string& text) {
  UnicodeRegex regex{std::string(kGpt2SplitPattern)};
  QStringList pieces;
  regex.for_each_match(text, [&](std::size_t begin, std::size_t end) {
    pieces << QString::fromStdString(text.substr(begin, end - begin));
  });
  return pieces;
}

}  // namespace

class TestUnicodeRegex : public QObject {
  Q_OBJECT

 private slots:
  void gpt2Pattern_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("pieces");
    QTest::newRow("words") << "Hello world" << QStringList{"Hello", " world"};
    QTest::newRow("contractions") << "I'm they'll" << QStringList{"I", "'m", " they", "'ll"};
    QTest::newRow("numbers") << "a 123b" << QStringList{"a", " 123", "b"};
    QTest::newRow("punctuation") << "hi!! ?" << QStringList{"hi", "!!", " ?"};
    // \s+(?!\S): a run of spaces leaves its last space to the word after it.
    QTest::newRow("space run") << "a   b" << QStringList{"a", "  ", " b"};
    QTest::newRow("trailing spaces") << "a  " << QStringList{"a", "  "};
    QTest::newRow("unicode letters") << "Привет мир" << QStringList{"Привет", " мир"};
    QTest::newRow("unicode spaces") << "a\u3000b" << QStringList{"a", "\u3000", "b"};
    QTest::newRow("newlines") << "a\n\nb" << QStringList{"a", "\n", "\n", "b"};
  }
  void gpt2Pattern() {
    QFETCH(QString, text);
    QFETCH(QStringList, pieces);
    QCOMPARE(split_gpt2(text.toStdString()), pieces);
  }

  void hugeWhitespaceRunDoesNotExhaustTheStack() {
    const std::string text = "x" + std::string(1 << 20, ' ') + "y";
    const QStringList pieces = split_gpt2(text);
    QCOMPARE(pieces.size(), 3);
    QCOMPARE(pieces[1].size(), (1 << 20) - 1);
  }

  void badPatternNamesItselfAndTheOffset() {
    try {
      UnicodeRegex regex("ab(c");
      QFAIL("expected std::invalid_argument");
    } catch (const std::invalid_argument& error) {
      QVERIFY2(std::string(error.what()).starts_with("regular expression /ab(c/ does not compile at offset 4"),
               error.what());
    }
  }

  void literalPatternMatchesItsText() {
    UnicodeRegex regex("a.b", true);
    std::vector<std::size_t> starts;
    regex.for_each_match("a.b axb a.b", [&](std::size_t begin, std::size_t) { starts.push_back(begin); });
    QCOMPARE(starts, (std::vector<std::size_t>{0, 8}));
  }

  void emptyMatchesAdvanceByCharacters() {
    UnicodeRegex regex("x*");
    std::vector<std::pair<std::size_t, std::size_t>> matches;
    regex.for_each_match("\xc3\xa9xx\xc3\xa9", [&](std::size_t b, std::size_t e) { matches.emplace_back(b, e); });
    QCOMPARE(matches, (std::vector<std::pair<std::size_t, std::size_t>>{{2, 4}}));
  }
};

QTEST_APPLESS_MAIN(TestUnicodeRegex)
#include "test_unicode_regex.moc"
