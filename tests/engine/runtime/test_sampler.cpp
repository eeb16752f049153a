#include "engine/runtime/sampler.h"
#include "tests/support/testdata.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

using linea::Sampler;
using linea::SamplingParams;

namespace {

constexpr float nan_value = std::numeric_limits<float>::quiet_NaN();
constexpr float infinity = std::numeric_limits<float>::infinity();

// Upper 1e-6 quantiles of the chi-square distribution (computed with mpmath's regularized incomplete
// gamma): a correct sampler exceeds them once in a million seeds, so with the fixed seeds below a
// failure means a wrong distribution, not bad luck.
constexpr double chi_square_bound_df2 = 27.631;
constexpr double chi_square_bound_df5 = 35.888;
constexpr double chi_square_bound_df9 = 44.811;

std::vector<float> from_probabilities(std::initializer_list<double> probabilities) {
  std::vector<float> logits;
  for (double p : probabilities) logits.push_back(static_cast<float>(std::log(p)));
  return logits;
}

std::set<int> support_of(const std::vector<linea::TokenProbability>& distribution) {
  std::set<int> tokens;
  for (const auto& entry : distribution) tokens.insert(entry.token);
  return tokens;
}

QString describe(const std::set<int>& tokens) {
  QStringList parts;
  for (int token : tokens) parts << QString::number(token);
  return "{" + parts.join(", ") + "}";
}

// Counts per token over `draws` samples from one sampler.
std::map<int, int> histogram(Sampler& sampler, const std::vector<float>& logits,
                             const std::vector<std::int32_t>& history, int draws) {
  std::map<int, int> counts;
  for (int i = 0; i < draws; ++i) ++counts[sampler.sample(logits, history)];
  return counts;
}

double chi_square(const std::map<int, int>& counts, const std::map<int, double>& expected_probability, int draws) {
  double statistic = 0.0;
  for (const auto& [token, probability] : expected_probability) {
    const double expected = probability * draws;
    const auto found = counts.find(token);
    const double observed = found == counts.end() ? 0.0 : found->second;
    statistic += (observed - expected) * (observed - expected) / expected;
  }
  return statistic;
}

std::vector<float> varied_logits(int vocab) {
  std::vector<float> logits(static_cast<std::size_t>(vocab));
  for (int i = 0; i < vocab; ++i) logits[static_cast<std::size_t>(i)] = static_cast<float>(std::sin(i * 12.9898) * 4.0);
  return logits;
}

QJsonObject load_goldens() {
  QFile file(linea::test::sourcePath("tests/data/runtime/sampler_goldens.json"));
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(file.readAll()).object();
}

SamplingParams params_from(const QJsonObject& json) {
  SamplingParams params;
  params.temperature = static_cast<float>(json["temperature"].toDouble());
  params.top_k = json["top_k"].toInt();
  params.top_p = static_cast<float>(json["top_p"].toDouble());
  params.min_p = static_cast<float>(json["min_p"].toDouble());
  params.repetition_penalty = static_cast<float>(json["repetition_penalty"].toDouble());
  params.repetition_window = json["repetition_window"].toInt();
  return params;
}

std::vector<float> floats_from(const QJsonArray& array) {
  std::vector<float> values;
  for (const auto& value : array) values.push_back(static_cast<float>(value.toDouble()));
  return values;
}

std::vector<std::int32_t> ints_from(const QJsonArray& array) {
  std::vector<std::int32_t> values;
  for (const auto& value : array) values.push_back(value.toInt());
  return values;
}

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

Q_DECLARE_METATYPE(std::vector<float>)
Q_DECLARE_METATYPE(std::vector<std::int32_t>)
Q_DECLARE_METATYPE(SamplingParams)
Q_DECLARE_METATYPE(std::set<int>)

class TestSampler : public QObject {
  Q_OBJECT

 private slots:
  void greedyPicksArgmax_data() {
    QTest::addColumn<std::vector<float>>("logits");
    QTest::addColumn<float>("temperature");
    QTest::addColumn<int>("expected");
    QTest::newRow("clear maximum") << std::vector<float>{0.1f, 2.5f, -1.0f, 2.4f} << 0.0f << 1;
    QTest::newRow("tie goes to the lowest id") << std::vector<float>{1.0f, 3.0f, 0.0f, 3.0f, 3.0f} << 0.0f << 1;
    QTest::newRow("negative temperature is greedy") << std::vector<float>{-5.0f, -3.0f, -4.0f} << -1.0f << 1;
    QTest::newRow("NaN is never chosen") << std::vector<float>{nan_value, 1.0f, 2.0f, nan_value} << 0.0f << 2;
    QTest::newRow("+inf wins") << std::vector<float>{1.0f, infinity, 3.0f} << 0.0f << 1;
    QTest::newRow("only one finite logit") << std::vector<float>{-infinity, -infinity, -7.0f} << 0.0f << 2;
    const std::vector<float> many = varied_logits(1000);
    QTest::newRow("one of many") << many << 0.0f
                                 << static_cast<int>(std::max_element(many.begin(), many.end()) - many.begin());
  }
  void greedyPicksArgmax() {
    QFETCH(std::vector<float>, logits);
    QFETCH(float, temperature);
    QFETCH(int, expected);
    SamplingParams params;
    params.temperature = temperature;
    params.top_k = 1;  // filters do not matter to greedy
    params.seed = 99;
    Sampler sampler(params);
    for (int i = 0; i < 5; ++i) QCOMPARE(sampler.sample(logits, {}), expected);
    const auto distribution = sampler.distribution(logits, {});
    QCOMPARE(distribution.size(), std::size_t{1});
    QCOMPARE(distribution[0].token, expected);
    QCOMPARE(distribution[0].probability, 1.0);
  }

  // Each row: the tokens that must survive; checked on distribution() and by drawing once from each
  // of 3000 seeds (every survivor has probability >= 0.05, so missing one has odds below 1e-60).
  void filtersKeepExactlyTheRightTokens_data() {
    QTest::addColumn<std::vector<float>>("logits");
    QTest::addColumn<std::vector<std::int32_t>>("history");
    QTest::addColumn<SamplingParams>("params");
    QTest::addColumn<std::set<int>>("expected");

    // probabilities 0.05, 0.30, 0.10, 0.50, 0.05: descending order 3, 1, 2, 0, 4 (0 and 4 tie)
    const auto five = from_probabilities({0.05, 0.30, 0.10, 0.50, 0.05});
    auto with = [](auto change) {
      SamplingParams params;
      change(params);
      return params;
    };
    QTest::newRow("no filter") << five << std::vector<std::int32_t>{} << SamplingParams{}
                               << std::set<int>{0, 1, 2, 3, 4};
    QTest::newRow("top-k 2") << five << std::vector<std::int32_t>{} << with([](auto& p) { p.top_k = 2; })
                             << std::set<int>{1, 3};
    QTest::newRow("top-k 3") << five << std::vector<std::int32_t>{} << with([](auto& p) { p.top_k = 3; })
                             << std::set<int>{1, 2, 3};
    QTest::newRow("top-k keeps ties with the k-th")
        << from_probabilities({0.10, 0.25, 0.25, 0.40}) << std::vector<std::int32_t>{}
        << with([](auto& p) { p.top_k = 2; }) << std::set<int>{1, 2, 3};
    QTest::newRow("top-k beyond the vocabulary")
        << five << std::vector<std::int32_t>{} << with([](auto& p) { p.top_k = 50; }) << std::set<int>{0, 1, 2, 3, 4};
    // top-p keeps a token while the mass before it is < top_p: before = 0, .5, .8, .9, .95
    QTest::newRow("top-p 0.7") << five << std::vector<std::int32_t>{} << with([](auto& p) { p.top_p = 0.7f; })
                               << std::set<int>{1, 3};
    QTest::newRow("top-p 0.85") << five << std::vector<std::int32_t>{} << with([](auto& p) { p.top_p = 0.85f; })
                                << std::set<int>{1, 2, 3};
    QTest::newRow("top-p 0.92 breaks the tie by id")
        << five << std::vector<std::int32_t>{} << with([](auto& p) { p.top_p = 0.92f; }) << std::set<int>{0, 1, 2, 3};
    QTest::newRow("top-p 0 keeps the top token")
        << five << std::vector<std::int32_t>{} << with([](auto& p) { p.top_p = 0.0f; }) << std::set<int>{3};
    // min-p keeps p >= min_p * 0.5
    QTest::newRow("min-p 0.25") << five << std::vector<std::int32_t>{} << with([](auto& p) { p.min_p = 0.25f; })
                                << std::set<int>{1, 3};
    QTest::newRow("min-p 0.15") << five << std::vector<std::int32_t>{} << with([](auto& p) { p.min_p = 0.15f; })
                                << std::set<int>{1, 2, 3};
    QTest::newRow("min-p 1") << five << std::vector<std::int32_t>{} << with([](auto& p) { p.min_p = 1.0f; })
                             << std::set<int>{3};
    // After top-k 3 the renormalized masses are .556, .333, .111: before token 2 is .889 >= .85.
    QTest::newRow("top-p measures the top-k distribution") << five << std::vector<std::int32_t>{} << with([](auto& p) {
      p.top_k = 3;
      p.top_p = 0.85f;
    }) << std::set<int>{1, 3};
    // Temperature 2: probabilities .350, .271, .157, .111, .111; before token 2 is .622 < .7.
    QTest::newRow("temperature before top-p") << five << std::vector<std::int32_t>{} << with([](auto& p) {
      p.temperature = 2.0f;
      p.top_p = 0.7f;
    }) << std::set<int>{1, 2, 3};
    // Temperature 2: min-p 0.4 keeps p >= .140, so token 2 (.157) stays; at temperature 1 it would not.
    QTest::newRow("temperature before min-p") << five << std::vector<std::int32_t>{} << with([](auto& p) {
      p.temperature = 2.0f;
      p.min_p = 0.4f;
    }) << std::set<int>{1, 2, 3};
    QTest::newRow("min-p 0.4 at temperature 1")
        << five << std::vector<std::int32_t>{} << with([](auto& p) { p.min_p = 0.4f; }) << std::set<int>{1, 3};

    // Penalty 2 on tokens 1 and 3: logits 1, 1.5, 2, 0.25; min-p 0.3 keeps weights >= .3 of the top.
    const std::vector<float> positive{1.0f, 3.0f, 2.0f, 0.5f};
    QTest::newRow("repetition penalty changes the support")
        << positive << std::vector<std::int32_t>{1, 1, 3} << with([](auto& p) {
             p.repetition_penalty = 2.0f;
             p.min_p = 0.3f;
           })
        << std::set<int>{0, 1, 2};
    QTest::newRow("without the penalty") << positive << std::vector<std::int32_t>{1, 1, 3}
                                         << with([](auto& p) { p.min_p = 0.3f; }) << std::set<int>{1, 2};
    QTest::newRow("window of 1 penalizes only the last token")
        << positive << std::vector<std::int32_t>{1, 1, 3} << with([](auto& p) {
             p.repetition_penalty = 2.0f;
             p.repetition_window = 1;
             p.min_p = 0.3f;
           })
        << std::set<int>{1, 2};

    QTest::newRow("NaN and -inf are never drawn")
        << std::vector<float>{nan_value, std::log(0.5f), -infinity, std::log(0.5f)} << std::vector<std::int32_t>{}
        << SamplingParams{} << std::set<int>{1, 3};
    QTest::newRow("+inf tokens share everything")
        << std::vector<float>{1.0f, infinity, 5.0f, infinity} << std::vector<std::int32_t>{} << SamplingParams{}
        << std::set<int>{1, 3};
  }
  void filtersKeepExactlyTheRightTokens() {
    QFETCH(std::vector<float>, logits);
    QFETCH(std::vector<std::int32_t>, history);
    QFETCH(SamplingParams, params);
    QFETCH(std::set<int>, expected);

    const std::set<int> computed = support_of(Sampler(params).distribution(logits, history));
    QVERIFY2(computed == expected, qPrintable("distribution() support " + describe(computed)));

    std::set<int> observed;
    for (std::uint64_t seed = 0; seed < 3000; ++seed) {
      SamplingParams seeded = params;
      seeded.seed = seed;
      observed.insert(Sampler(seeded).sample(logits, history));
    }
    QVERIFY2(observed == expected, qPrintable("sampled support " + describe(observed)));
  }

  void distributionMatchesTransformers_data() {
    QTest::addColumn<int>("index");
    const QJsonObject goldens = load_goldens();
    const QJsonArray cases = goldens["distributions"].toArray();
    for (int i = 0; i < cases.size(); ++i) QTest::newRow(qPrintable(cases[i].toObject()["name"].toString())) << i;
    if (cases.isEmpty()) QTest::newRow("goldens missing") << -1;
  }
  void distributionMatchesTransformers() {
    QFETCH(int, index);
    QVERIFY2(index >= 0, "tests/data/runtime/sampler_goldens.json is missing or empty");
    const QJsonObject golden = load_goldens()["distributions"].toArray()[index].toObject();
    const std::vector<float> logits = floats_from(golden["logits"].toArray());
    const std::vector<std::int32_t> history = ints_from(golden["history"].toArray());
    const QJsonArray expected = golden["probabilities"].toArray();
    QCOMPARE(static_cast<std::size_t>(expected.size()), logits.size());

    const auto distribution = Sampler(params_from(golden["params"].toObject())).distribution(logits, history);
    std::vector<double> ours(logits.size(), 0.0);
    for (const auto& entry : distribution) ours[static_cast<std::size_t>(entry.token)] = entry.probability;
    double largest_difference = 0.0;
    for (std::size_t token = 0; token < logits.size(); ++token)
      largest_difference =
          std::max(largest_difference, std::abs(expected[static_cast<int>(token)].toDouble() - ours[token]));
    qInfo("%zu survivors; largest difference from transformers %.3g", distribution.size(), largest_difference);
    for (std::size_t token = 0; token < logits.size(); ++token) {
      const double reference = expected[static_cast<int>(token)].toDouble();
      // Same support exactly; probabilities to float32 rounding (transformers scales in float32).
      QVERIFY2((reference > 0.0) == (ours[token] > 0.0),
               qPrintable(QString("token %1: transformers %2, ours %3").arg(token).arg(reference).arg(ours[token])));
      QVERIFY2(std::abs(reference - ours[token]) <= 1e-6, qPrintable(QString("token %1: transformers %2, ours %3")
                                                                         .arg(token)
                                                                         .arg(reference, 0, 'g', 10)
                                                                         .arg(ours[token], 0, 'g', 10)));
    }
  }

  // The random stream is pinned: xoshiro256** seeded by splitmix64, written independently in Python.
  void drawsMatchTheReferenceStream() {
    const QJsonObject draws = load_goldens()["draws"].toObject();
    const QJsonArray sequences = draws["sequences"].toArray();
    QVERIFY2(!sequences.isEmpty(), "tests/data/runtime/sampler_goldens.json is missing its draws");
    const std::vector<float> uniform(static_cast<std::size_t>(draws["vocab"].toInt()), 0.0f);
    for (const auto& entry : sequences) {
      SamplingParams params;
      params.seed = entry.toObject()["seed"].toString().toULongLong();
      Sampler sampler(params);
      const QJsonArray tokens = entry.toObject()["tokens"].toArray();
      for (int i = 0; i < tokens.size(); ++i) QCOMPARE(sampler.sample(uniform, {}), tokens[i].toInt());
    }
  }

  void empiricalDistributionMatchesComputed() {
    const std::vector<float> logits{0.3f, 2.0f, -0.5f, 1.2f, 1.9f, -3.0f, 0.8f, 1.0f};
    SamplingParams params;
    params.temperature = 0.8f;
    params.top_k = 6;
    params.seed = 2024;

    // Independently: the 6 largest logits (all but -0.5 and -3), softmax of logit / temperature.
    const double temperature = params.temperature;  // 0.8f widened, as the sampler uses it
    std::map<int, double> expected;
    double total = 0.0;
    for (int token : {0, 1, 3, 4, 6, 7}) total += std::exp(logits[static_cast<std::size_t>(token)] / temperature);
    for (int token : {0, 1, 3, 4, 6, 7})
      expected[token] = std::exp(logits[static_cast<std::size_t>(token)] / temperature) / total;

    Sampler sampler(params);
    const auto distribution = sampler.distribution(logits, {});
    QCOMPARE(distribution.size(), expected.size());
    for (const auto& entry : distribution) QVERIFY(std::abs(entry.probability - expected.at(entry.token)) < 1e-12);

    constexpr int draws = 120000;
    const auto counts = histogram(sampler, logits, {}, draws);
    QCOMPARE(counts.size(), expected.size());  // nothing outside the top 6 was drawn
    const double statistic = chi_square(counts, expected, draws);
    qInfo("chi-square %.3f (df 5, bound %.3f)", statistic, chi_square_bound_df5);
    QVERIFY2(statistic < chi_square_bound_df5, qPrintable(QString("chi-square %1 (df 5)").arg(statistic)));

    // The bound has teeth: the same draws are far from the distribution at temperature 1.
    std::map<int, double> untempered;
    double untempered_total = 0.0;
    for (int token : {0, 1, 3, 4, 6, 7}) untempered_total += std::exp(logits[static_cast<std::size_t>(token)]);
    for (int token : {0, 1, 3, 4, 6, 7})
      untempered[token] = std::exp(logits[static_cast<std::size_t>(token)]) / untempered_total;
    const double against_untempered = chi_square(counts, untempered, draws);
    qInfo("chi-square against the temperature-1 distribution %.1f", against_untempered);
    QVERIFY(against_untempered > 10 * chi_square_bound_df5);
  }

  void empiricalDistributionMatchesTransformers() {
    const QJsonArray cases = load_goldens()["distributions"].toArray();
    QJsonObject golden;
    for (const auto& entry : cases)
      if (entry.toObject()["name"].toString() == "everything") golden = entry.toObject();
    QVERIFY2(!golden.isEmpty(), "golden case \"everything\" missing");
    const std::vector<float> logits = floats_from(golden["logits"].toArray());
    const std::vector<std::int32_t> history = ints_from(golden["history"].toArray());
    std::map<int, double> expected;
    const QJsonArray probabilities = golden["probabilities"].toArray();
    for (int token = 0; token < probabilities.size(); ++token)
      if (probabilities[token].toDouble() > 0.0) expected[token] = probabilities[token].toDouble();
    QCOMPARE(expected.size(), std::size_t{10});

    SamplingParams params = params_from(golden["params"].toObject());
    params.seed = 77;
    Sampler sampler(params);
    constexpr int draws = 100000;
    const auto counts = histogram(sampler, logits, history, draws);
    QCOMPARE(counts.size(), expected.size());
    const double statistic = chi_square(counts, expected, draws);
    qInfo("chi-square %.3f (df 9, bound %.3f)", statistic, chi_square_bound_df9);
    QVERIFY2(statistic < chi_square_bound_df9, qPrintable(QString("chi-square %1 (df 9)").arg(statistic)));
  }

  void infiniteLogitsAreDrawnUniformly() {
    const std::vector<float> logits{infinity, 0.0f, infinity, infinity, nan_value};
    SamplingParams params;
    params.seed = 5;
    Sampler sampler(params);
    constexpr int draws = 30000;
    const auto counts = histogram(sampler, logits, {}, draws);
    const std::map<int, double> expected{{0, 1.0 / 3}, {2, 1.0 / 3}, {3, 1.0 / 3}};
    QCOMPARE(counts.size(), expected.size());
    const double statistic = chi_square(counts, expected, draws);
    qInfo("chi-square %.3f (df 2, bound %.3f)", statistic, chi_square_bound_df2);
    QVERIFY2(statistic < chi_square_bound_df2, qPrintable(QString("chi-square %1 (df 2)").arg(statistic)));
  }

  // The fast paths (heap top-k, quickselect top-p with its tail cut) against the plain definition:
  // sort everything, cut by rank. Vocabulary-sized rows, with ties, peaked and flat.
  void fastPathsMatchTheDefinition_data() {
    QTest::addColumn<double>("spread");  // logit scale: large = peaked, small = flat
    QTest::addColumn<SamplingParams>("params");
    auto make = [](float temperature, int top_k, float top_p, float min_p) {
      SamplingParams p;
      p.temperature = temperature;
      p.top_k = top_k;
      p.top_p = top_p;
      p.min_p = min_p;
      return p;
    };
    for (double spread : {12.0, 0.5}) {
      const QString shape = spread > 1 ? "peaked" : "flat";
      QTest::newRow(qPrintable(shape + ", top-k 1")) << spread << make(1.0f, 1, 1.0f, 0.0f);
      QTest::newRow(qPrintable(shape + ", top-k 40")) << spread << make(1.0f, 40, 1.0f, 0.0f);
      QTest::newRow(qPrintable(shape + ", top-k 3125 (heap)")) << spread << make(0.9f, 3125, 1.0f, 0.0f);
      QTest::newRow(qPrintable(shape + ", top-k 3126 (select)")) << spread << make(0.9f, 3126, 1.0f, 0.0f);
      QTest::newRow(qPrintable(shape + ", top-p 0.95")) << spread << make(1.0f, 0, 0.95f, 0.0f);
      QTest::newRow(qPrintable(shape + ", top-p 0.5, T 0.6")) << spread << make(0.6f, 0, 0.5f, 0.0f);
      QTest::newRow(qPrintable(shape + ", top-k 400, top-p 0.9")) << spread << make(1.2f, 400, 0.9f, 0.0f);
      QTest::newRow(qPrintable(shape + ", min-p 0.2, top-p 0.9")) << spread << make(1.0f, 0, 0.9f, 0.2f);
      QTest::newRow(qPrintable(shape + ", everything")) << spread << make(0.8f, 2000, 0.8f, 0.01f);
    }
  }
  void fastPathsMatchTheDefinition() {
    QFETCH(double, spread);
    QFETCH(SamplingParams, params);
    constexpr int vocab = 50000;
    std::vector<float> logits(vocab);
    std::uint32_t state = 12345;
    auto uniform = [&] {
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      return state / 4294967296.0;
    };
    for (float& logit : logits) {  // roughly normal, rounded to 1/256 so that some values tie
      const double normal = uniform() + uniform() + uniform() + uniform() - 2.0;
      logit = static_cast<float>(std::round(normal * spread * 256) / 256);
    }

    // The definition, written the slow way.
    std::vector<int> ranked(vocab);
    for (int i = 0; i < vocab; ++i) ranked[static_cast<std::size_t>(i)] = i;
    std::sort(ranked.begin(), ranked.end(), [&](int a, int b) {
      return logits[static_cast<std::size_t>(a)] != logits[static_cast<std::size_t>(b)]
                 ? logits[static_cast<std::size_t>(a)] > logits[static_cast<std::size_t>(b)]
                 : a < b;
    });
    const double temperature = params.temperature;
    std::size_t in_top_k = ranked.size();
    if (params.top_k > 0) {
      const float kth = logits[static_cast<std::size_t>(ranked[static_cast<std::size_t>(params.top_k - 1)])];
      in_top_k = 0;
      while (in_top_k < ranked.size() && logits[static_cast<std::size_t>(ranked[in_top_k])] >= kth) ++in_top_k;
    }
    const double top = logits[static_cast<std::size_t>(ranked[0])];
    std::vector<double> weight(in_top_k);
    double total = 0.0;
    for (std::size_t r = 0; r < in_top_k; ++r) {
      weight[r] = std::exp((logits[static_cast<std::size_t>(ranked[r])] - top) / temperature);
      total += weight[r];
    }
    std::map<int, double> expected;
    double before = 0.0;
    for (std::size_t r = 0; r < in_top_k; ++r) {
      if (r > 0 && before >= static_cast<double>(params.top_p) * total) break;
      before += weight[r];
      if (weight[r] >= static_cast<double>(params.min_p)) expected[ranked[r]] = weight[r];
    }
    double kept_total = 0.0;
    for (const auto& [token, w] : expected) kept_total += w;

    const auto distribution = Sampler(params).distribution(logits, {});
    QCOMPARE(distribution.size(), expected.size());
    for (const auto& entry : distribution) {
      QVERIFY2(expected.count(entry.token) == 1, qPrintable(QString("token %1 should not survive").arg(entry.token)));
      QVERIFY(std::abs(entry.probability - expected[entry.token] / kept_total) < 1e-12);
    }
    qInfo("%zu of %d tokens survive", distribution.size(), vocab);
  }

  void sameSeedSameSequence() {
    const std::vector<float> logits = varied_logits(500);
    SamplingParams params;
    params.temperature = 1.1f;
    params.top_p = 0.95f;
    params.repetition_penalty = 1.2f;
    params.seed = 7;
    auto generate = [&](const SamplingParams& p) {
      Sampler sampler(p);
      std::vector<std::int32_t> history;
      for (int i = 0; i < 2000; ++i) history.push_back(sampler.sample(logits, history));
      return history;
    };
    const auto first = generate(params);
    QCOMPARE(generate(params), first);
    QCOMPARE(std::set<std::int32_t>(first.begin(), first.end()).size() > 50, true);  // it does vary
    params.seed = 8;
    QVERIFY(generate(params) != first);
  }

  void copiesContinueTheSameSequence() {
    const std::vector<float> logits = varied_logits(300);
    SamplingParams params;
    params.seed = 11;
    Sampler original(params);
    for (int i = 0; i < 100; ++i) original.sample(logits, {});

    Sampler copy = original;
    Sampler assigned(SamplingParams{});
    assigned = original;
    std::vector<std::int32_t> from_original, from_copy, from_assigned, from_fresh;
    Sampler fresh(params);
    for (int i = 0; i < 500; ++i) {
      from_original.push_back(original.sample(logits, {}));
      from_copy.push_back(copy.sample(logits, {}));
      from_assigned.push_back(assigned.sample(logits, {}));
      from_fresh.push_back(fresh.sample(logits, {}));
    }
    QCOMPARE(from_copy, from_original);
    QCOMPARE(from_assigned, from_original);
    QVERIFY(from_fresh != from_original);  // a copy continues; it does not restart the stream
    QCOMPARE(copy.params().seed, std::uint64_t{11});
  }

  void repetitionPenaltyIsExact_data() {
    QTest::addColumn<std::vector<std::int32_t>>("history");
    QTest::addColumn<float>("penalty");
    QTest::addColumn<int>("window");
    QTest::addColumn<std::vector<float>>("expected");
    // logits: 2, -1, 0.5, 3, -2, 0
    QTest::newRow("divide positive, multiply negative") << std::vector<std::int32_t>{0, 1, 4, 5} << 2.0f << 64
                                                        << std::vector<float>{1.0f, -2.0f, 0.5f, 3.0f, -4.0f, 0.0f};
    QTest::newRow("repeats are penalized once") << std::vector<std::int32_t>{0, 0, 0, 0} << 2.0f << 64
                                                << std::vector<float>{1.0f, -1.0f, 0.5f, 3.0f, -2.0f, 0.0f};
    QTest::newRow("window keeps the last entries") << std::vector<std::int32_t>{0, 1, 4, 3} << 2.0f << 2
                                                   << std::vector<float>{2.0f, -1.0f, 0.5f, 1.5f, -4.0f, 0.0f};
    QTest::newRow("window 0 is off") << std::vector<std::int32_t>{0, 1, 4, 3} << 2.0f << 0
                                     << std::vector<float>{2.0f, -1.0f, 0.5f, 3.0f, -2.0f, 0.0f};
    QTest::newRow("negative window is the whole history") << std::vector<std::int32_t>{0, 1, 4, 3} << 2.0f << -1
                                                          << std::vector<float>{1.0f, -2.0f, 0.5f, 1.5f, -4.0f, 0.0f};
    QTest::newRow("penalty 1.5") << std::vector<std::int32_t>{3, 1} << 1.5f << 64
                                 << std::vector<float>{2.0f, -1.5f, 0.5f, 2.0f, -2.0f, 0.0f};
    QTest::newRow("penalty below 1 encourages")
        << std::vector<std::int32_t>{0, 1} << 0.5f << 64 << std::vector<float>{4.0f, -0.5f, 0.5f, 3.0f, -2.0f, 0.0f};
    QTest::newRow("ids beyond the row are ignored") << std::vector<std::int32_t>{6, 100, 2} << 2.0f << 64
                                                    << std::vector<float>{2.0f, -1.0f, 0.25f, 3.0f, -2.0f, 0.0f};
  }
  void repetitionPenaltyIsExact() {
    QFETCH(std::vector<std::int32_t>, history);
    QFETCH(float, penalty);
    QFETCH(int, window);
    QFETCH(std::vector<float>, expected);
    const std::vector<float> logits{2.0f, -1.0f, 0.5f, 3.0f, -2.0f, 0.0f};
    const std::vector<float> penalized = linea::apply_repetition_penalty(logits, history, penalty, window);
    QCOMPARE(penalized.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
      QVERIFY2(same_bits(penalized[i], expected[i]),
               qPrintable(QString("logit %1: %2, expected %3").arg(i).arg(penalized[i]).arg(expected[i])));
  }

  void repetitionPenaltyReachesTheDraw() {
    // 2 / 2 = 1 = the other logit: the two tokens become exactly equally likely.
    SamplingParams params;
    params.repetition_penalty = 2.0f;
    const auto distribution =
        Sampler(params).distribution(std::vector<float>{2.0f, 1.0f}, std::vector<std::int32_t>{0});
    QCOMPARE(distribution.size(), std::size_t{2});
    QCOMPARE(distribution[0].probability, 0.5);
    QCOMPARE(distribution[1].probability, 0.5);
    params.temperature = 0.0f;  // greedy sees the penalty too: 3 / 2 < 2
    QCOMPARE(Sampler(params).sample(std::vector<float>{3.0f, 2.0f}, std::vector<std::int32_t>{0}), 1);
  }

  void rejectsBadInput() {
    Sampler sampler(SamplingParams{});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sampler.sample(std::vector<float>{}, {}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sampler.sample(std::vector<float>{nan_value, -infinity}, {}));
    SamplingParams penalizing;
    penalizing.repetition_penalty = 1.2f;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             Sampler(penalizing).sample(std::vector<float>{1.0f, 2.0f}, std::vector<std::int32_t>{-1}));
    SamplingParams greedy;
    greedy.temperature = 0.0f;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Sampler(greedy).sample(std::vector<float>{nan_value}, {}));

    try {
      sampler.sample(std::vector<float>{nan_value, -infinity, nan_value}, {});
      QFAIL("no exception");
    } catch (const std::invalid_argument& error) {
      QCOMPARE(QString(error.what()), QString("sampler: all 3 logits are NaN or -inf; there is no token to choose"));
    }

    auto rejected = [](auto change) {
      SamplingParams params;
      change(params);
      try {
        Sampler constructed(params);
      } catch (const std::invalid_argument&) {
        return true;
      }
      return false;
    };
    QVERIFY(rejected([](auto& p) { p.temperature = nan_value; }));
    QVERIFY(rejected([](auto& p) { p.top_k = -1; }));
    QVERIFY(rejected([](auto& p) { p.top_p = 1.5f; }));
    QVERIFY(rejected([](auto& p) { p.top_p = nan_value; }));
    QVERIFY(rejected([](auto& p) { p.min_p = -0.1f; }));
    QVERIFY(rejected([](auto& p) { p.repetition_penalty = 0.0f; }));
    QVERIFY(rejected([](auto& p) { p.repetition_penalty = infinity; }));
    QVERIFY(!rejected([](auto& p) { p.temperature = -1.0f; }));  // greedy, not an error
  }
};

QTEST_APPLESS_MAIN(TestSampler)
#include "test_sampler.moc"
