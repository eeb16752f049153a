#include "engine/core/log.h"

#include <QTest>

#include <string>
#include <thread>
#include <vector>

class TestLog : public QObject {
  Q_OBJECT

 private slots:
  void cleanup() { linea::set_log_sink(nullptr); }

  void sinkReceivesLevelAndText() {
    std::vector<std::pair<linea::LogLevel, std::string>> received;
    linea::set_log_sink([&](linea::LogLevel level, std::string_view text) { received.emplace_back(level, text); });
    linea::log_message(linea::LogLevel::warning, "disk almost full");
    QCOMPARE(received.size(), std::size_t{1});
    QCOMPARE(received[0].first, linea::LogLevel::warning);
    QCOMPARE(received[0].second, std::string("disk almost full"));
  }

  void concurrentMessagesAreAllDelivered() {
    int count = 0;  // guarded by the logger's own lock
    linea::set_log_sink([&](linea::LogLevel, std::string_view) { ++count; });
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([] {
        for (int i = 0; i < 1000; ++i) linea::log_message(linea::LogLevel::debug, "x");
      });
    for (auto& thread : threads) thread.join();
    QCOMPARE(count, 4000);
  }

  void levelNames() {
    QCOMPARE(std::string(linea::log_level_name(linea::LogLevel::error)), std::string("error"));
    QCOMPARE(std::string(linea::log_level_name(linea::LogLevel::info)), std::string("info"));
  }
};

QTEST_APPLESS_MAIN(TestLog)
#include "test_log.moc"
