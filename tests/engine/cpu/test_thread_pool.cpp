// The thread pool: every index exactly once, the caller takes part, errors come back, nested and
// concurrent use is safe, and idle workers sleep instead of spinning.
#include "engine/cpu/thread_pool.h"

#include <QTest>

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace {

double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

}  // namespace

class TestThreadPool : public QObject {
  Q_OBJECT

 private slots:
  void coversEveryIndexOnce_data() {
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("grain");
    QTest::newRow("1 thread") << 1 << 1000 << 1;
    QTest::newRow("2 threads") << 2 << 1000 << 1;
    QTest::newRow("4 threads, grain 7") << 4 << 1001 << 7;
    QTest::newRow("more threads than items") << 8 << 3 << 1;
    QTest::newRow("one item") << 3 << 1 << 1;
  }

  void coversEveryIndexOnce() {
    QFETCH(int, threads);
    QFETCH(int, count);
    QFETCH(int, grain);
    linea::cpu::ThreadPool pool(threads);
    QCOMPARE(pool.thread_count(), threads);
    std::vector<std::atomic<int>> hits(static_cast<std::size_t>(count));
    for (int round = 0; round < 50; ++round) {
      pool.parallel_for(count, grain, [&](std::int64_t begin, std::int64_t end) {
        QVERIFY(begin < end);
        for (std::int64_t i = begin; i < end; ++i) hits[static_cast<std::size_t>(i)].fetch_add(1);
      });
    }
    for (const auto& hit : hits) QCOMPARE(hit.load(), 50);
  }

  void emptyRangeCallsNothing() {
    linea::cpu::ThreadPool pool(2);
    bool called = false;
    pool.parallel_for(0, 1, [&](std::int64_t, std::int64_t) { called = true; });
    QVERIFY(!called);
  }

  void workersAndCallerShareALargeJob() {
    linea::cpu::ThreadPool pool(2);
    std::mutex mutex;
    std::set<std::thread::id> seen;
    pool.parallel_for(32, 1, [&](std::int64_t, std::int64_t) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // long enough for the worker to wake
      std::lock_guard lock(mutex);
      seen.insert(std::this_thread::get_id());
    });
    QCOMPARE(seen.size(), std::size_t{2});
    QVERIFY(seen.contains(std::this_thread::get_id()));
  }

  void firstExceptionIsRethrown() {
    linea::cpu::ThreadPool pool(3);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, pool.parallel_for(100, 1, [](std::int64_t begin, std::int64_t) {
      if (begin >= 50) throw std::runtime_error("range failed");
    }));
    // The pool still works afterwards.
    std::atomic<int> total{0};
    pool.parallel_for(10, 1, [&](std::int64_t begin, std::int64_t end) { total += static_cast<int>(end - begin); });
    QCOMPARE(total.load(), 10);
  }

  void nestedCallsRunInline() {
    linea::cpu::ThreadPool pool(2);
    std::atomic<int> inner{0};
    pool.parallel_for(4, 1, [&](std::int64_t, std::int64_t) {
      pool.parallel_for(10, 1, [&](std::int64_t begin, std::int64_t end) { inner += static_cast<int>(end - begin); });
    });
    QCOMPARE(inner.load(), 40);
  }

  void concurrentCallersAreSerialisedSafely() {
    linea::cpu::ThreadPool pool(2);
    std::atomic<long> sum{0};
    auto work = [&] {
      for (int round = 0; round < 200; ++round)
        pool.parallel_for(64, 1, [&](std::int64_t begin, std::int64_t end) {
          for (std::int64_t i = begin; i < end; ++i) sum += i;
        });
    };
    std::thread a(work), b(work);
    a.join();
    b.join();
    QCOMPARE(sum.load(), 2L * 200 * (63 * 64 / 2));
  }

  void idleWorkersDoNotSpin() {
    // Four workers, then nothing to do: a spinning pool burns ~4 CPU-seconds per second here, a
    // sleeping one next to nothing.
    linea::cpu::ThreadPool pool(5);
    pool.parallel_for(100, 1, [](std::int64_t, std::int64_t) {});
    const double cpu_before = process_cpu_seconds();
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    const double cpu_used = process_cpu_seconds() - cpu_before;
    qInfo("CPU time used while idle for 0.4 s: %.4f s", cpu_used);
    QVERIFY2(cpu_used < 0.05, qPrintable(QString::number(cpu_used)));
  }
};

QTEST_APPLESS_MAIN(TestThreadPool)
#include "test_thread_pool.moc"
