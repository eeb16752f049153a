// Scratch float buffers: a released buffer is handed out again on the same thread (that is the
// point: no fresh pages per call), never while still in use, not to another thread, and the pool
// gives memory back beyond its cap. Each scenario runs on a new thread, whose pool starts empty,
// and the checks run on the test thread afterwards.
#include "engine/cpu/scratch_floats.h"

#include <QTest>

#include <span>
#include <thread>

namespace {

template <class Scenario>
void on_fresh_thread(Scenario scenario) {
  std::thread thread(scenario);
  thread.join();
}

}  // namespace

class TestScratchFloats : public QObject {
  Q_OBJECT

 private slots:
  void aReleasedBufferIsReused() {
    const float *first = nullptr, *again = nullptr;
    std::size_t size = 0;
    on_fresh_thread([&] {
      {
        linea::cpu::ScratchFloats buffer(1000);
        buffer[999] = 1.0f;
        first = buffer.data();
      }
      linea::cpu::ScratchFloats smaller(800);  // the same storage serves
      again = smaller.data();
      size = smaller.size();
    });
    QCOMPARE(size, std::size_t{800});
    QCOMPARE(again, first);
  }

  void buffersInUseAreDistinct() {
    const float *a_data = nullptr, *b_data = nullptr, *c_data = nullptr;
    float written = 0;
    std::size_t span_size = 0;
    on_fresh_thread([&] {
      linea::cpu::ScratchFloats a(256), b(256), c(256);
      a_data = a.data();
      b_data = b.data();
      c_data = c.data();
      std::span<float> span(b);  // a contiguous range of its own size
      span_size = span.size();
      span[0] = 5.0f;
      written = b[0];
    });
    QVERIFY(a_data != b_data && b_data != c_data && a_data != c_data);
    QCOMPARE(span_size, std::size_t{256});
    QCOMPARE(written, 5.0f);
  }

  void theSmallestFittingBufferIsChosen() {
    const float *small = nullptr, *large = nullptr, *got_small = nullptr, *got_large = nullptr;
    on_fresh_thread([&] {
      {
        linea::cpu::ScratchFloats s(100), l(10000);
        small = s.data();
        large = l.data();
      }
      linea::cpu::ScratchFloats wants_small(50), wants_large(5000);
      got_small = wants_small.data();
      got_large = wants_large.data();
    });
    QCOMPARE(got_small, small);
    QCOMPARE(got_large, large);
  }

  void aMovedBufferGoesBackOnce() {
    const float *storage = nullptr, *moved = nullptr, *assigned = nullptr, *one = nullptr, *two = nullptr;
    on_fresh_thread([&] {
      {
        linea::cpu::ScratchFloats a(4096);
        storage = a.data();
        linea::cpu::ScratchFloats b(std::move(a));
        moved = b.data();
        linea::cpu::ScratchFloats c;
        c = std::move(b);
        assigned = c.data();
      }
      linea::cpu::ScratchFloats first(4096), second(4096);
      one = first.data();
      two = second.data();
    });
    QCOMPARE(moved, storage);
    QCOMPARE(assigned, storage);
    QCOMPARE(one, storage);  // back in the pool once: the second buffer is new
    QVERIFY(two != storage);
  }

  void otherThreadsHaveTheirOwnPool() {
    const float *here = nullptr, *there = nullptr, *back_here = nullptr;
    on_fresh_thread([&] {
      {
        linea::cpu::ScratchFloats buffer(2048);
        here = buffer.data();
      }
      on_fresh_thread([&] {
        linea::cpu::ScratchFloats buffer(2048);
        there = buffer.data();
      });
      linea::cpu::ScratchFloats buffer(2048);
      back_here = buffer.data();
    });
    QVERIFY(there != here);
    QCOMPARE(back_here, here);
  }

  void thePoolGivesBackBeyondItsCap() {
    // Two buffers of 160 MiB released together exceed the 256 MiB cap: the larger goes back to the
    // allocator and the other stays for the next call.
    const std::size_t count = std::size_t{40} << 20;  // floats
    std::size_t pooled = 0;
    const float *kept = nullptr, *again = nullptr;
    on_fresh_thread([&] {
      {
        linea::cpu::ScratchFloats a(count), b(count + 16);
        kept = a.data();
      }
      pooled = linea::cpu::ScratchFloats::pooled_bytes();
      linea::cpu::ScratchFloats next(count);
      again = next.data();
    });
    QCOMPARE(pooled, count * sizeof(float));
    QCOMPARE(again, kept);
  }
};

QTEST_APPLESS_MAIN(TestScratchFloats)
#include "test_scratch_floats.moc"
