// SampleRing: capacity rounding, wrap-around, and a producer and a consumer thread moving millions
// of samples through a small ring with nothing lost, duplicated or reordered.
#include "audio/playback/sample_ring.h"

#include <QTest>

#include <random>
#include <thread>
#include <vector>

using linea::audio::SampleRing;

class TestSampleRing : public QObject {
  Q_OBJECT

 private slots:
  void capacityIsAPowerOfTwo() {
    QCOMPARE(SampleRing(1000).capacity(), std::size_t{1024});
    QCOMPARE(SampleRing(1024).capacity(), std::size_t{1024});
    QCOMPARE(SampleRing(0).capacity(), std::size_t{2});
  }

  void writeStopsWhenFullAndReadWhenEmpty() {
    SampleRing ring(8);
    const std::vector<float> ten = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    QCOMPARE(ring.write(ten), std::size_t{8});
    QCOMPARE(ring.free_space(), std::size_t{0});
    QCOMPARE(ring.available(), std::size_t{8});
    std::vector<float> out(5);
    QCOMPARE(ring.read(out), std::size_t{5});
    QCOMPARE(out, (std::vector<float>{0, 1, 2, 3, 4}));
    QCOMPARE(ring.write(std::span(ten).subspan(8)), std::size_t{2});  // wraps around the end
    out.assign(10, -1);
    QCOMPARE(ring.read(out), std::size_t{5});
    QCOMPARE(std::vector<float>(out.begin(), out.begin() + 5), (std::vector<float>{5, 6, 7, 8, 9}));
    QCOMPARE(ring.read(out), std::size_t{0});
  }

  void discardDropsWhatIsReadable() {
    SampleRing ring(16);
    const std::vector<float> samples(10, 0.5f);
    ring.write(samples);
    ring.discard();
    QCOMPARE(ring.available(), std::size_t{0});
    QCOMPARE(ring.free_space(), std::size_t{16});
  }

  void twoThreadsKeepEverySampleInOrder() {
    // Floats hold integers exactly up to 2^24, so every sample carries its own sequence number.
    constexpr std::size_t kTotal = 4'000'000;
    SampleRing ring(1000);  // tiny next to kTotal: wraps thousands of times
    std::thread producer([&ring] {
      std::mt19937 random(1);
      std::vector<float> chunk;
      std::size_t next = 0;
      while (next < kTotal) {
        chunk.resize(std::min<std::size_t>(1 + random() % 700, kTotal - next));
        for (std::size_t i = 0; i < chunk.size(); ++i) chunk[i] = static_cast<float>(next + i);
        std::span<const float> left(chunk);
        while (!left.empty()) {
          left = left.subspan(ring.write(left));
          if (!left.empty()) std::this_thread::yield();
        }
        next += chunk.size();
      }
    });
    std::mt19937 random(2);
    std::vector<float> out;
    std::size_t expected = 0;
    std::size_t mismatches = 0;
    while (expected < kTotal) {
      out.resize(1 + random() % 900);
      const std::size_t got = ring.read(out);
      if (got == 0) std::this_thread::yield();
      for (std::size_t i = 0; i < got; ++i) mismatches += out[i] != static_cast<float>(expected + i);
      expected += got;
    }
    producer.join();
    QCOMPARE(mismatches, std::size_t{0});
    QCOMPARE(expected, kTotal);
    QCOMPARE(ring.available(), std::size_t{0});
  }
};

QTEST_APPLESS_MAIN(TestSampleRing)
#include "test_sample_ring.moc"
