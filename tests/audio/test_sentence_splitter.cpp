// SentenceSplitter: where English, German and Chinese sentences end, and that feeding the text in
// pieces (token by token, byte by byte, at random cuts) gives exactly the sentences of feeding it
// at once.
#include "audio/text/sentence_splitter.h"

#include <QTest>

#include <random>

using linea::audio::SentenceSplitter;
using Sentences = std::vector<std::string>;

Q_DECLARE_METATYPE(Sentences)

namespace {

Sentences split_at_once(const std::string& text) {
  SentenceSplitter splitter;
  Sentences sentences = splitter.push(text);
  for (std::string& rest : splitter.finish()) sentences.push_back(std::move(rest));
  return sentences;
}

Sentences split_in_pieces(const std::string& text, const std::vector<std::size_t>& cuts) {
  SentenceSplitter splitter;
  Sentences sentences;
  std::size_t start = 0;
  for (std::size_t cut : cuts) {
    for (std::string& s : splitter.push(std::string_view(text).substr(start, cut - start)))
      sentences.push_back(std::move(s));
    start = cut;
  }
  for (std::string& s : splitter.push(std::string_view(text).substr(start))) sentences.push_back(std::move(s));
  for (std::string& s : splitter.finish()) sentences.push_back(std::move(s));
  return sentences;
}

QByteArray describe(const Sentences& sentences) {
  QByteArray out;
  for (const std::string& s : sentences) out += "[" + QByteArray::fromStdString(s) + "] ";
  return out;
}

}  // namespace

class TestSentenceSplitter : public QObject {
  Q_OBJECT

 private slots:
  void splits_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<Sentences>("expected");
    QTest::newRow("english basic") << "Hello there. How are you? I am fine!"
                                   << Sentences{"Hello there.", "How are you?", "I am fine!"};
    QTest::newRow("decimal and domain") << "Pi is 3.14 roughly. See example.com for more."
                                        << Sentences{"Pi is 3.14 roughly.", "See example.com for more."};
    QTest::newRow("titles") << "Dr. Smith met Mr. Jones. They talked."
                            << Sentences{"Dr. Smith met Mr. Jones.", "They talked."};
    QTest::newRow("e.g. and i.e.") << "Use a tool, e.g. a hammer, i.e. something heavy. Then stop."
                                   << Sentences{"Use a tool, e.g. a hammer, i.e. something heavy.", "Then stop."};
    QTest::newRow("etc. before a capital ends")
        << "Apples, pears etc. The end." << Sentences{"Apples, pears etc.", "The end."};
    QTest::newRow("etc. before lowercase continues")
        << "Apples, pears etc. are fruit. Yes." << Sentences{"Apples, pears etc. are fruit.", "Yes."};
    QTest::newRow("initials") << "J. R. R. Tolkien wrote books. Many."
                              << Sentences{"J. R. R. Tolkien wrote books.", "Many."};
    QTest::newRow("closing quote and emphasis") << "He said \"stop.\" Then **it ended.** Fine."
                                                << Sentences{"He said \"stop.\"", "Then **it ended.**", "Fine."};
    QTest::newRow("ellipsis and ?!") << "Well... I think so?! Sure." << Sentences{"Well...", "I think so?!", "Sure."};
    QTest::newRow("inline code not split") << "Run `a. B` now. Done." << Sentences{"Run `a. B` now.", "Done."};
    QTest::newRow("link not split") << "See [the docs. Really](http://x.org/a. b) today. Ok."
                                    << Sentences{"See [the docs. Really](http://x.org/a. b) today.", "Ok."};
    QTest::newRow("blank line ends") << "First line without stop\n\nSecond paragraph"
                                     << Sentences{"First line without stop", "Second paragraph"};
    QTest::newRow("soft newline continues")
        << "A sentence that\ncontinues here. Next." << Sentences{"A sentence that continues here.", "Next."};
    QTest::newRow("german z. B.") << "Obst, z. B. Äpfel, ist gesund. Gut."
                                  << Sentences{"Obst, z. B. Äpfel, ist gesund.", "Gut."};
    QTest::newRow("german usw. and d. h.") << "Äpfel, Birnen usw. Dann gehen wir, d. h. sofort. Ja."
                                           << Sentences{"Äpfel, Birnen usw.", "Dann gehen wir, d. h. sofort.", "Ja."};
    QTest::newRow("german ordinal date") << "Am 3. Mai kommt er. Gut." << Sentences{"Am 3. Mai kommt er.", "Gut."};
    QTest::newRow("german Nr. and ca.") << "Zimmer Nr. 5 kostet ca. 80 Euro. Ok."
                                        << Sentences{"Zimmer Nr. 5 kostet ca. 80 Euro.", "Ok."};
    QTest::newRow("chinese") << "你好，世界。今天天气很好！你呢？"
                             << Sentences{"你好，世界。", "今天天气很好！", "你呢？"};
    QTest::newRow("chinese closers and ellipsis")
        << "他说：“好。”然后走了……最后；结束" << Sentences{"他说：“好。”", "然后走了……", "最后；", "结束"};
    QTest::newRow("mixed latin in chinese")
        << "我用Python 3.11写代码。It works. 好的。" << Sentences{"我用Python 3.11写代码。", "It works.", "好的。"};
    QTest::newRow("whitespace collapsed") << "  Lots   of\t space.   Here  " << Sentences{"Lots of space.", "Here"};
    QTest::newRow("empty") << "   \n\n  " << Sentences{};
  }

  void splits() {
    QFETCH(QString, text);
    QFETCH(Sentences, expected);
    const Sentences got = split_at_once(text.toStdString());
    QVERIFY2(got == expected, describe(got) + " expected " + describe(expected));
  }

  void longSentenceIsCutAfterAComma() {
    std::string text;
    for (int i = 0; i < 40; ++i) text += "word" + std::to_string(i) + " more, ";
    text += "end.";
    const Sentences got = split_at_once(text);
    QVERIFY(got.size() > 1);
    for (const std::string& s : got) QVERIFY2(s.size() <= 330, s.c_str());
    std::string joined;
    for (const std::string& s : got) joined += (joined.empty() ? "" : " ") + s;
    QCOMPARE(joined, text.substr(0, text.size()));
  }

  void strayBacktickDoesNotHoldSpeechBack() {
    std::string text = "A stray ` here. ";
    for (int i = 0; i < 80; ++i) text += "Sentence number " + std::to_string(i) + ". ";
    SentenceSplitter splitter;
    const Sentences early = splitter.push(text);  // no finish(): these came out while streaming
    QVERIFY2(early.size() >= 50, QByteArray::number(static_cast<int>(early.size())));
  }

  void emitsEachSentenceAsSoonAsItIsComplete() {
    SentenceSplitter splitter;
    QVERIFY(splitter.push("Hello there").empty());
    QVERIFY(splitter.push(".").empty());  // could still be "there.com"
    QVERIFY(splitter.push(" ").empty());  // could still be "there. and ..." (lowercase)
    QCOMPARE(splitter.push("Next"), Sentences{"Hello there."});
    QCOMPARE(splitter.push(" one。"), Sentences{});  // a closer may follow 。
    QCOMPARE(splitter.push("Yes"), Sentences{"Next one。"});
    QCOMPARE(splitter.finish(), Sentences{"Yes"});
    QVERIFY(splitter.empty());
  }

  void piecesGiveTheSameSentences_data() { splits_data(); }
  void piecesGiveTheSameSentences() {
    QFETCH(QString, text);
    const std::string utf8 = text.toStdString();
    const Sentences expected = split_at_once(utf8);
    // byte by byte (cuts inside multi-byte characters too)
    std::vector<std::size_t> every_byte;
    for (std::size_t i = 1; i < utf8.size(); ++i) every_byte.push_back(i);
    QCOMPARE(split_in_pieces(utf8, every_byte), expected);
    // random cuts, as a tokenizer would make them
    std::mt19937 random(20240601);
    for (int trial = 0; trial < 300; ++trial) {
      std::vector<std::size_t> cuts;
      for (std::size_t at = 0;;) {
        at += 1 + random() % 6;
        if (at >= utf8.size()) break;
        cuts.push_back(at);
      }
      const Sentences got = split_in_pieces(utf8, cuts);
      QVERIFY2(got == expected, "trial " + QByteArray::number(trial) + ": " + describe(got));
    }
  }

  void resetDropsPendingText() {
    SentenceSplitter splitter;
    splitter.push("Half a sen");
    splitter.reset();
    QCOMPARE(splitter.finish(), Sentences{});
  }
};

QTEST_APPLESS_MAIN(TestSentenceSplitter)
#include "test_sentence_splitter.moc"
