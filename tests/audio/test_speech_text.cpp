// Speech text preparation: Markdown to spoken sentences (headings, lists, tables, quotes, links,
// images, inline and block code), numbers, web addresses and abbreviations in English, German and
// Chinese, and that the streaming form gives the same sentences as the whole text.
#include "audio/text/speech_normalizer.h"
#include "audio/text/speech_text_stream.h"
#include "audio/text/spoken_numbers.h"

#include <QTest>

#include <random>

using namespace linea::audio;
using Lines = QStringList;

Q_DECLARE_METATYPE(SpeechLanguage)

namespace {

QStringList texts(const std::vector<SpeechSentence>& sentences) {
  QStringList out;
  for (const SpeechSentence& s : sentences) out << QString::fromStdString(s.text);
  return out;
}

std::vector<SpeechSentence> prepare_in_pieces(const std::string& text, std::mt19937& random,
                                              SpeechTextOptions options) {
  SpeechTextStream stream(options);
  std::vector<SpeechSentence> sentences;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = 1 + random() % 8;
    for (SpeechSentence& s : stream.push(std::string_view(text).substr(at, length))) sentences.push_back(std::move(s));
    at += length;
  }
  for (SpeechSentence& s : stream.finish()) sentences.push_back(std::move(s));
  return sentences;
}

SpeechTextOptions in_language(SpeechLanguage language) {
  SpeechTextOptions options;
  options.language = language;
  return options;
}

}  // namespace

class TestSpeechText : public QObject {
  Q_OBJECT

 private slots:
  void markdown_data() {
    QTest::addColumn<QString>("markdown");
    QTest::addColumn<Lines>("spoken");
    QTest::newRow("emphasis") << "This is **bold**, *italic*, __strong__ and ~~gone~~ text."
                              << Lines{"This is bold, italic, strong and gone text."};
    QTest::newRow("snake_case survives") << "Call my_function_name now." << Lines{"Call my_function_name now."};
    QTest::newRow("headings end sentences") << "# Getting started\nInstall it.\n## Next steps ##\nRun it."
                                            << Lines{"Getting started.", "Install it.", "Next steps.", "Run it."};
    QTest::newRow("setext heading") << "Title\n=====\nBody text." << Lines{"Title.", "Body text."};
    QTest::newRow("links read their text")
        << "Read [the manual](https://example.org/manual.html) first." << Lines{"Read the manual first."};
    QTest::newRow("reference link and footnote")
        << "See [the guide][1] for details[^2]." << Lines{"See the guide for details."};
    QTest::newRow("images skipped") << "Here ![a diagram](img/d.png) is shown." << Lines{"Here is shown."};
    QTest::newRow("bullet list") << "Steps:\n- open the box\n- take it out\n* plug it in"
                                 << Lines{"Steps:", "open the box.", "take it out.", "plug it in."};
    QTest::newRow("ordered list") << "1. First item\n2) Second item\n10. Tenth item"
                                  << Lines{"First item.", "Second item.", "Tenth item."};
    QTest::newRow("list item continues on next line")
        << "- a long item\n  that wraps\n- short" << Lines{"a long item that wraps.", "short."};
    QTest::newRow("table") << "| Name | Age |\n|------|----:|\n| Alice | 30 |\n| Bob | 4 |"
                           << Lines{"Name, Age.", "Alice, thirty.", "Bob, four."};
    QTest::newRow("block quote") << "> Quoted wisdom here.\n> More of it.\n\nAfter."
                                 << Lines{"Quoted wisdom here.", "More of it.", "After."};
    QTest::newRow("thematic break") << "Above.\n\n---\n\nBelow." << Lines{"Above.", "Below."};
    QTest::newRow("inline code read as is") << "Run `make -j4 test_2.5` now." << Lines{"Run make -j4 test_2.5 now."};
    QTest::newRow("fenced code omitted") << "Try this:\n\n```python\nprint(1.5)\nx = 2\n```\n\nThat prints."
                                         << Lines{"Try this:", "Code omitted.", "That prints."};
    QTest::newRow("tilde fence and unclosed fence") << "A.\n~~~\ncode\n~~~\nB.\n```\nnever closed\nstill code"
                                                    << Lines{"A.", "Code omitted.", "B.", "Code omitted."};
    QTest::newRow("indented code omitted")
        << "Example:\n\n    int x = 1;\n    return x;\n\nDone." << Lines{"Example:", "Code omitted.", "Done."};
    QTest::newRow("html tags and entities")
        << "<b>Fast</b> &amp; <i>safe</i>, 3 &lt; 4." << Lines{"Fast and safe, three < four."};
    QTest::newRow("punctuation only is not read") << "...\n\n***\n\n!!" << Lines{};
  }

  void markdown() {
    QFETCH(QString, markdown);
    QFETCH(Lines, spoken);
    const QStringList got = texts(prepare_speech(markdown.toStdString(), in_language(SpeechLanguage::english)));
    QCOMPARE(got, spoken);
  }

  void language_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<SpeechLanguage>("language");
    QTest::addColumn<Lines>("spoken");
    using enum SpeechLanguage;
    // numbers
    QTest::newRow("en cardinals")
        << "I have 0, 7, 13, 21, 100, 101 and 1,234,567 items." << english
        << Lines{
               "I have zero, seven, thirteen, twenty-one, one hundred, one hundred one and one "
               "million two hundred thirty-four thousand five hundred sixty-seven items."};
    QTest::newRow("en decimals percent negative")
        << "It is 3.14, 50% and -5 degrees." << english
        << Lines{"It is three point one four, fifty percent and minus five degrees."};
    QTest::newRow("en ordinals years times")
        << "On the 21st in 1984 at 10:05 and 7:00." << english
        << Lines{"On the twenty-first in nineteen eighty-four at ten oh five and seven o'clock."};
    QTest::newRow("en money and versions")
        << "It costs $3.50 or €12, see v1.2 and 1.2.3." << english
        << Lines{
               "It costs three dollars and fifty cents or twelve euros, see v1.2 and one "
               "point two point three."};
    QTest::newRow("en leading zeros and model names") << "Agent 007 runs on an H100 with GPT-4." << english
                                                      << Lines{"Agent zero zero seven runs on an H100 with GPT-four."};
    QTest::newRow("de numbers")
        << "Es sind 21 Äpfel, 1.234 Birnen und 3,5 kg, also 75 % mehr." << german
        << Lines{
               "Es sind einundzwanzig Äpfel, eintausendzweihundertvierunddreißig Birnen und drei "
               "Komma fünf kg, also fünfundsiebzig Prozent mehr."};
    QTest::newRow("de large numbers and money") << "Das kostet 2.000.000 € oder 1,50 €." << german
                                                << Lines{"Das kostet zwei Millionen Euro oder ein Euro fünfzig."};
    QTest::newRow("de date and year")
        << "Am 3. Mai im Jahr 1999 um 14:30." << german
        << Lines{"Am dritten Mai im Jahr neunzehnhundertneunundneunzig um vierzehn Uhr dreißig."};
    QTest::newRow("zh numbers") << "我有3个苹果和10000元，约12.5%。" << chinese
                                << Lines{"我有三个苹果和一万元，约百分之十二点五。"};
    QTest::newRow("zh year and zeros") << "2024年有105人，1010次。" << chinese
                                       << Lines{"二零二四年有一百零五人，一千零一十次。"};
    // web addresses
    QTest::newRow("en url") << "Visit https://www.example.com/docs?page=2. It helps." << english
                            << Lines{"Visit link to example dot com.", "It helps."};
    QTest::newRow("en autolink and bare www") << "Go to <https://github.com/org/repo> or www.python.org now." << english
                                              << Lines{"Go to link to github dot com or link to python dot org now."};
    QTest::newRow("de url") << "Siehe https://de.wikipedia.org/wiki/Test für mehr." << german
                            << Lines{"Siehe Link zu de Punkt wikipedia Punkt org für mehr."};
    QTest::newRow("zh url") << "请看 https://example.cn/a 。" << chinese << Lines{"请看 链接 example 点 cn 。"};
    // abbreviations
    QTest::newRow("en abbreviations")
        << "Dr. Lee, e.g. a surgeon, i.e. busy, brought fruit etc. No. 5 won." << english
        << Lines{"Doctor Lee, for example a surgeon, that is busy, brought fruit et cetera.", "number five won."};
    QTest::newRow("de abbreviations")
        << "Obst, z. B. Äpfel, bzw. Birnen, d.h. gesund usw. Nr. 3 gewinnt." << german
        << Lines{"Obst, zum Beispiel Äpfel, beziehungsweise Birnen, das heißt gesund und so weiter.",
                 "Nummer drei gewinnt."};
    // code omitted, in the reply's language
    QTest::newRow("de code omitted") << "So geht es:\n```\ncode\n```" << german
                                     << Lines{"So geht es:", "Code ausgelassen."};
    QTest::newRow("zh code omitted") << "代码如下：\n```\ncode\n```" << chinese << Lines{"代码如下：", "代码已省略。"};
    QTest::newRow("zh headings get a chinese stop") << "# 标题\n内容。" << chinese << Lines{"标题。", "内容。"};
  }

  void language() {
    QFETCH(QString, text);
    QFETCH(SpeechLanguage, language);
    QFETCH(Lines, spoken);
    const auto sentences = prepare_speech(text.toStdString(), in_language(language));
    QCOMPARE(texts(sentences), spoken);
    for (const SpeechSentence& s : sentences) QCOMPARE(s.language, language);
  }

  void detectsTheReplyLanguage_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<SpeechLanguage>("language");
    QTest::newRow("english") << "The weather is nice and the sun is out." << SpeechLanguage::english;
    QTest::newRow("german") << "Das Wetter ist schön und die Sonne scheint." << SpeechLanguage::german;
    QTest::newRow("chinese") << "今天天气很好，我们去公园吧。" << SpeechLanguage::chinese;
    QTest::newRow("chinese with latin words") << "我用Python写了一个小程序。" << SpeechLanguage::chinese;
  }
  void detectsTheReplyLanguage() {
    QFETCH(QString, text);
    QFETCH(SpeechLanguage, language);
    QCOMPARE(detect_language(text.toStdString()), language);
  }

  void autoLanguageReadsCodeNoticeInTheReplysLanguage() {
    const auto sentences =
        prepare_speech("Hier ist das Beispiel für die Schleife:\n```\nfor x in y: pass\n```\nDas ist alles.");
    QCOMPARE(texts(sentences),
             (Lines{"Hier ist das Beispiel für die Schleife:", "Code ausgelassen.", "Das ist alles."}));
    for (const SpeechSentence& s : sentences) QCOMPARE(s.language, SpeechLanguage::german);
  }

  void spokenNumbers_data() {
    QTest::addColumn<qulonglong>("value");
    QTest::addColumn<QString>("english");
    QTest::addColumn<QString>("german");
    QTest::addColumn<QString>("chinese");
    QTest::newRow("0") << 0ULL << "zero"
                       << "null"
                       << "零";
    QTest::newRow("1") << 1ULL << "one"
                       << "eins"
                       << "一";
    QTest::newRow("16") << 16ULL << "sixteen"
                        << "sechzehn"
                        << "十六";
    QTest::newRow("31") << 31ULL << "thirty-one"
                        << "einunddreißig"
                        << "三十一";
    QTest::newRow("101") << 101ULL << "one hundred one"
                         << "einhunderteins"
                         << "一百零一";
    QTest::newRow("1001") << 1001ULL << "one thousand one"
                          << "eintausendeins"
                          << "一千零一";
    QTest::newRow("20017") << 20017ULL << "twenty thousand seventeen"
                           << "zwanzigtausendsiebzehn"
                           << "二万零一十七";
    QTest::newRow("1000000") << 1000000ULL << "one million"
                             << "eine Million"
                             << "一百万";
    QTest::newRow("3000000001") << 3000000001ULL << "three billion one"
                                << "drei Milliarden eins"
                                << "三十亿零一";
    QTest::newRow("110000000") << 110000000ULL << "one hundred ten million"
                               << "einhundertzehn Millionen"
                               << "一亿一千万";
  }
  void spokenNumbers() {
    QFETCH(qulonglong, value);
    QFETCH(QString, english);
    QFETCH(QString, german);
    QFETCH(QString, chinese);
    QCOMPARE(QString::fromStdString(spoken_cardinal(value, SpeechLanguage::english)), english);
    QCOMPARE(QString::fromStdString(spoken_cardinal(value, SpeechLanguage::german)), german);
    QCOMPARE(QString::fromStdString(spoken_cardinal(value, SpeechLanguage::chinese)), chinese);
  }

  void englishOrdinals() {
    const std::pair<int, const char*> cases[] = {
        {1, "first"}, {2, "second"},   {3, "third"},      {5, "fifth"},         {8, "eighth"},
        {9, "ninth"}, {12, "twelfth"}, {20, "twentieth"}, {23, "twenty-third"}, {100, "one hundredth"}};
    for (const auto& [value, word] : cases) QCOMPARE(spoken_ordinal_english(value), std::string(word));
  }

  void streamingGivesTheSameSentences_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("markdown reply")
        << "# Plan\n\nHere is **the plan**, e.g. for Dr. Smith: visit https://example.com/x.\n\n"
           "1. Buy 3.5 kg of apples.\n2. Pay $4.20.\n\n```cpp\nint main() { return 0; }\n```\n\n"
           "| a | b |\n|---|---|\n| 1 | 2 |\n\n> Quote. Another.\n\nDone? Yes!";
    QTest::newRow("german reply") << "Das ist z. B. ein Test am 3. Mai.\n\n- Punkt eins\n- Punkt zwei usw. Ende.";
    QTest::newRow("chinese reply") << "你好！这是第1段。\n\n```\ncode\n```\n\n然后……结束。";
  }
  void streamingGivesTheSameSentences() {
    QFETCH(QString, text);
    const std::string utf8 = text.toStdString();
    const auto expected = prepare_speech(utf8);
    QVERIFY(expected.size() >= 3);
    std::mt19937 random(7);
    for (int trial = 0; trial < 200; ++trial) {
      const auto got = prepare_in_pieces(utf8, random, {});
      QVERIFY2(got == expected, "trial " + QByteArray::number(trial) + ": " + texts(got).join(" | ").toUtf8());
    }
  }

  void streamEmitsSentencesBeforeTheReplyEnds() {
    SpeechTextStream stream(in_language(SpeechLanguage::english));
    QCOMPARE(stream.push("The first sentence is complete").size(), std::size_t{0});
    const auto first = stream.push(". The second is not");
    QCOMPARE(texts(first), (Lines{"The first sentence is complete."}));
    QCOMPARE(texts(stream.finish()), (Lines{"The second is not."}));
  }
};

QTEST_APPLESS_MAIN(TestSpeechText)
#include "test_speech_text.moc"
