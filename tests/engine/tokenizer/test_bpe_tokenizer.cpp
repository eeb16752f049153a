// The BPE merge loop and the tokenizer around it, on a tiny hand-made vocabulary whose expected
// results follow from the BPE rules by hand: lowest rank first, leftmost on ties.
#include "engine/io/format_error.h"
#include "engine/tokenizer/bpe_tokenizer.h"
#include "engine/tokenizer/byte_level.h"
#include "engine/tokenizer/streaming_decoder.h"

#include <QTest>

#include <thread>

using namespace linea::tokenizer;
using Ids = std::vector<TokenId>;

namespace {

// Ids 0..255: the single bytes. 256 "ab", 257 "bc", 258 "abc", 259 "aa", 260 " a".
// Added: 300 "<|end|>" (special), 301 "<x>" (not special).
BpeTokenizerSpec tiny_spec(std::vector<std::pair<std::string, std::string>> merges) {
  BpeTokenizerSpec spec;
  spec.source = "tiny";
  for (int byte = 0; byte < 256; ++byte)
    spec.vocab.emplace_back(byte_level_spell(std::string(1, static_cast<char>(byte))), byte);
  spec.vocab.emplace_back("ab", 256);
  spec.vocab.emplace_back("bc", 257);
  spec.vocab.emplace_back("abc", 258);
  spec.vocab.emplace_back("aa", 259);
  spec.vocab.emplace_back(
      "\xc4\xa0"
      "a",
      260);
  spec.merges = std::move(merges);
  spec.pre_tokenizer.push_back(PreTokenizerStep::byte_level(false, true));
  spec.added_tokens.push_back({300, "<|end|>", true});
  spec.added_tokens.push_back({301, "<x>", false});
  spec.special_ids.eos = 300;
  spec.special_ids.add_end_of_generation(300);
  return spec;
}

const std::vector<std::pair<std::string, std::string>> kMerges = {
    {"a", "b"}, {"ab", "c"}, {"a", "a"}, {"\xc4\xa0", "a"}};

std::string format_error(const BpeTokenizerSpec& spec) {
  try {
    BpeTokenizer tokenizer(spec);
  } catch (const linea::io::FormatError& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

class TestBpeTokenizer : public QObject {
  Q_OBJECT

 private slots:
  void merges_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<Ids>("ids");
    QTest::newRow("one merge") << QByteArray("ab") << Ids{256};
    QTest::newRow("merge of a merge") << QByteArray("abc") << Ids{258};
    QTest::newRow("ties go leftmost") << QByteArray("aaa") << Ids{259, 'a'};
    QTest::newRow("four a") << QByteArray("aaaa") << Ids{259, 259};
    QTest::newRow("no merge") << QByteArray("cb") << Ids{'c', 'b'};
    QTest::newRow("space joins the word") << QByteArray("b a") << Ids{'b', 260};
    QTest::newRow("repeated words") << QByteArray("abc abc") << Ids{258, ' ', 258};
    QTest::newRow("empty") << QByteArray() << Ids{};
  }
  void merges() {
    QFETCH(QByteArray, text);
    QFETCH(Ids, ids);
    BpeTokenizer tokenizer(tiny_spec(kMerges));
    QCOMPARE(tokenizer.encode(text.toStdString(), true), ids);
    QCOMPARE(QByteArray::fromStdString(tokenizer.decode(ids)), text);
  }

  void lowerRankWinsOverPosition() {
    // "b c" ranks before "a b": in "abc" the right pair merges first, and "a"+"bc" has no merge.
    BpeTokenizer tokenizer(tiny_spec({{"b", "c"}, {"a", "b"}, {"ab", "c"}}));
    QCOMPARE(tokenizer.encode("abc", true), (Ids{'a', 257}));
  }

  void repeatedPairKeepsItsLastRank() {
    // `tokenizers` builds its rank map so that a later duplicate wins: "a b" ends up after "b c".
    BpeTokenizer tokenizer(tiny_spec({{"a", "b"}, {"b", "c"}, {"a", "b"}}));
    QCOMPARE(tokenizer.encode("abc", true), (Ids{'a', 257}));
  }

  void specialTokensOnlyWhenAllowed() {
    BpeTokenizer tokenizer(tiny_spec(kMerges));
    QCOMPARE(tokenizer.encode("ab<|end|>", true), (Ids{256, 300}));
    QCOMPARE(tokenizer.encode("ab<|end|>", false), (Ids{256, '<', '|', 'e', 'n', 'd', '|', '>'}));
    // A non-special added token is always one token.
    QCOMPARE(tokenizer.encode("<x>ab", false), (Ids{301, 256}));
    QCOMPARE(tokenizer.encode("<x>ab", true), (Ids{301, 256}));
    QVERIFY(tokenizer.is_special(300));
    QVERIFY(!tokenizer.is_special(301));
    QVERIFY(!tokenizer.is_special(256));
  }

  void decodeSkipsSpecialTokensWhenAsked() {
    BpeTokenizer tokenizer(tiny_spec(kMerges));
    const Ids ids{256, 300, 301};
    QCOMPARE(tokenizer.decode(ids), std::string("ab<|end|><x>"));
    QCOMPARE(tokenizer.decode(ids, true), std::string("ab<x>"));
  }

  void idsOutsideTheVocabularyThrow() {
    BpeTokenizer tokenizer(tiny_spec(kMerges));
    QCOMPARE(tokenizer.vocab_size(), std::size_t(302));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, tokenizer.decode(Ids{302}));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, tokenizer.token_bytes(-1));
    QCOMPARE(tokenizer.token_bytes(299), std::string_view());  // unassigned id between the ranges
  }

  void piecesAndLookups() {
    BpeTokenizer tokenizer(tiny_spec(kMerges));
    QCOMPARE(tokenizer.token_piece(260), std::string_view("\xc4\xa0"
                                                          "a"));
    QCOMPARE(tokenizer.token_bytes(260), std::string_view(" a"));
    QCOMPARE(tokenizer.find_piece("<|end|>"), std::optional<TokenId>(300));
    QCOMPARE(tokenizer.find_piece("\xc4\xa0"
                                  "a"),
             std::optional<TokenId>(260));
    QVERIFY(!tokenizer.find_piece("zz"));
    QCOMPARE(tokenizer.special_ids().eos, std::optional<TokenId>(300));
  }

  void malformedUtf8Throws() {
    BpeTokenizer tokenizer(tiny_spec(kMerges));
    try {
      tokenizer.encode("ab\xe4\xb8", true);
      QFAIL("expected std::invalid_argument");
    } catch (const std::invalid_argument& error) {
      QCOMPARE(std::string(error.what()), std::string("text to tokenize is not valid UTF-8 at byte 2"));
    }
  }

  void concurrentEncodesAgree() {
    BpeTokenizer tokenizer(tiny_spec(kMerges));
    std::string text;
    for (int i = 0; i < 2000; ++i) text += (i % 3 ? "abc aab " : "caab ab<|end|>");
    const Ids expected = tokenizer.encode(text, true);
    std::vector<Ids> results(4);
    std::vector<std::thread> threads;
    for (Ids& result : results) threads.emplace_back([&] { result = tokenizer.encode(text, true); });
    for (std::thread& thread : threads) thread.join();
    for (const Ids& result : results) QCOMPARE(result, expected);
  }

  void inconsistentSpecsAreNamed_data() {
    QTest::addColumn<int>("variant");
    QTest::addColumn<QString>("message");
    QTest::newRow("merge result missing") << 0 << "tiny: merge #0 ('b' 'a') needs 'ba', which is not in the vocabulary";
    QTest::newRow("merge part missing") << 1 << "tiny: merge #0 ('q' 'zz') needs 'zz', which is not in the vocabulary";
    QTest::newRow("id used twice") << 2 << "tiny: id 256 is given to both 'ab' and 'ba'";
    QTest::newRow("negative id") << 3 << "tiny: vocabulary entry 'neg' has negative id -4";
    QTest::newRow("unknown token missing") << 4 << "tiny: unk_token '<unk>' is not in the vocabulary";
    QTest::newRow("role outside") << 5 << "tiny: special token id 999 is outside the vocabulary of 302";
    QTest::newRow("bad regex") << 6 << "tiny: pre_tokenizer: regular expression /[/ does not compile";
  }
  void inconsistentSpecsAreNamed() {
    QFETCH(int, variant);
    QFETCH(QString, message);
    BpeTokenizerSpec spec = tiny_spec(kMerges);
    switch (variant) {
      case 0: spec.merges = {{"b", "a"}}; break;
      case 1: spec.merges = {{"q", "zz"}}; break;
      case 2: spec.vocab.emplace_back("ba", 256); break;
      case 3: spec.vocab.emplace_back("neg", -4); break;
      case 4: spec.unknown_piece = "<unk>"; break;
      case 5: spec.special_ids.bos = 999; break;
      case 6:
        spec.pre_tokenizer.insert(spec.pre_tokenizer.begin(), PreTokenizerStep::split("[", SplitBehavior::isolated));
        break;
    }
    const std::string error = format_error(spec);
    QVERIFY2(error.starts_with(message.toStdString()), error.c_str());
  }

  void streamingDecoderReleasesWholeCharactersOnly() {
    BpeTokenizer tokenizer(tiny_spec(kMerges));
    // No merges touch these bytes: one token per byte, so characters arrive in pieces.
    const Ids ids = tokenizer.encode("a\xc3\xa9\xf0\x9f\x98\x80!", true);
    QCOMPARE(ids.size(), std::size_t(8));
    StreamingDecoder stream(tokenizer);
    QStringList released;
    for (TokenId id : ids) released << QString::fromStdString(stream.push(id));
    QCOMPARE(released, (QStringList{"a", "", "\u00e9", "", "", "", "\U0001F600", "!"}));
    QCOMPARE(stream.pending_bytes(), std::size_t(0));
    QCOMPARE(stream.finish(), std::string());
  }

  void streamingDecoderHoldsThenFlushesAnUnfinishedTail() {
    BpeTokenizer tokenizer(tiny_spec(kMerges));
    StreamingDecoder stream(tokenizer);
    QCOMPARE(stream.push(0xE4), std::string());
    QCOMPARE(stream.push(0xB8), std::string());
    QCOMPARE(stream.pending_bytes(), std::size_t(2));
    QCOMPARE(stream.finish(), std::string("\xe4\xb8"));
    QCOMPARE(stream.pending_bytes(), std::size_t(0));
  }

  void streamingDecoderSkipsSpecialTokensByDefault() {
    BpeTokenizer tokenizer(tiny_spec(kMerges));
    StreamingDecoder hiding(tokenizer);
    QCOMPARE(hiding.push(300), std::string());
    StreamingDecoder showing(tokenizer, false);
    QCOMPARE(showing.push(300), std::string("<|end|>"));
  }
};

QTEST_APPLESS_MAIN(TestBpeTokenizer)
#include "test_bpe_tokenizer.moc"
