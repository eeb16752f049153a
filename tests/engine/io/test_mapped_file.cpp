// MappedFile: contents, empty files, precise errors, move semantics, and a sparse file past 4 GiB.
#include "engine/io/mapped_file.h"
#include "tests/engine/io/io_test_files.h"

#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <system_error>

using linea::io::MappedFile;

namespace {

// Resident KiB of the mapping that holds `address` (/proc/self/smaps), or -1 when none does.
long resident_kib(const void* address) {
  std::ifstream smaps("/proc/self/smaps");
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  bool inside = false;
  for (std::string line; std::getline(smaps, line);) {
    unsigned long long begin = 0, end = 0;
    if (std::sscanf(line.c_str(), "%llx-%llx ", &begin, &end) == 2 && line.find(':') > line.find(' ')) {
      inside = at >= begin && at < end;
    } else if (inside && line.rfind("Rss:", 0) == 0) {
      return std::stol(line.substr(4));
    }
  }
  return -1;
}

}  // namespace

class TestMappedFile : public QObject {
  Q_OBJECT

 private slots:
  void mapsTheWholeFile() {
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("data.bin").toStdString();
    linea::test::writeBytes(path, linea::test::filled(1000, 7));
    const MappedFile file = MappedFile::open(path);
    QCOMPARE(file.size(), std::uint64_t{1000});
    QCOMPARE(file.bytes().size(), std::size_t{1000});
    QCOMPARE(std::to_integer<int>(file.data()[0]), 7);
    QCOMPARE(std::to_integer<int>(file.data()[999]), (7 + 999) % 256);
    QCOMPARE(file.path(), path);
  }

  void droppedPagesComeBackFromTheFile() {
    // A regrouped copy of a matrix lets the source drop the file's pages: afterwards they take no
    // memory in the process, and reading them gives the file's bytes again (not zeros).
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("pages.bin").toStdString();
    const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)), size = 64 * page + 100;
    const auto contents = linea::test::filled(size, 3);
    linea::test::writeBytes(path, contents);
    const MappedFile file = MappedFile::open(path);
    long sum = 0;
    for (std::size_t i = 0; i < size; i += page) sum += std::to_integer<int>(file.data()[i]);
    QVERIFY(sum > 0);
    QVERIFY2(resident_kib(file.data()) >= static_cast<long>(64 * page / 1024),
             qPrintable(QString("resident before: %1 KiB").arg(resident_kib(file.data()))));

    QVERIFY(file.holds(file.data() + 10, size - 10));
    QVERIFY(!file.holds(file.data() + 10, size - 9));
    QVERIFY(!file.holds(file.data() - 1, 1));
    file.drop_pages(file.data() + 10, size - 10);  // all but the first, partly outside the range
    QVERIFY2(resident_kib(file.data()) <= static_cast<long>(2 * page / 1024),
             qPrintable(QString("resident after: %1 KiB").arg(resident_kib(file.data()))));
    QVERIFY(std::equal(contents.begin(), contents.end(), file.data()));
  }

  void emptyFileMapsToAnEmptySpan() {
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("empty").toStdString();
    linea::test::writeBytes(path, {});
    const MappedFile file = MappedFile::open(path);
    QCOMPARE(file.size(), std::uint64_t{0});
    QVERIFY(file.bytes().empty());
  }

  void missingFileNamesPathAndReason() {
    try {
      MappedFile::open("/nonexistent/linea/weights.gguf");
      QFAIL("expected an error");
    } catch (const std::system_error& error) {
      const std::string what = error.what();
      QVERIFY2(what.find("/nonexistent/linea/weights.gguf: cannot open") != std::string::npos, what.c_str());
      QVERIFY2(what.find("No such file or directory") != std::string::npos, what.c_str());
      QCOMPARE(error.code().value(), ENOENT);
    }
  }

  void directoryIsRefused() {
    QTemporaryDir dir;
    try {
      MappedFile::open(dir.path().toStdString());
      QFAIL("expected an error");
    } catch (const std::system_error& error) {
      const std::string what = error.what();
      QVERIFY2(what.find(dir.path().toStdString()) != std::string::npos, what.c_str());
      QVERIFY2(what.find("Is a directory") != std::string::npos, what.c_str());
    }
  }

  void unreadableFileNamesPermission() {
    if (::geteuid() == 0) QSKIP("root reads files regardless of their permissions");
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("secret").toStdString();
    linea::test::writeBytes(path, linea::test::filled(4));
    std::filesystem::permissions(path, std::filesystem::perms::none);
    QVERIFY_THROWS_EXCEPTION(std::system_error, MappedFile::open(path));
  }

  void moveTransfersTheMapping() {
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("data.bin").toStdString();
    linea::test::writeBytes(path, linea::test::filled(64, 1));
    MappedFile first = MappedFile::open(path);
    const std::byte* data = first.data();
    MappedFile second = std::move(first);
    QCOMPARE(second.data(), data);
    QCOMPARE(second.size(), std::uint64_t{64});
    QCOMPARE(first.data(), nullptr);  // NOLINT(bugprone-use-after-move): moved-from is defined empty
    QCOMPARE(first.size(), std::uint64_t{0});
    MappedFile third;
    third = std::move(second);
    QCOMPARE(std::to_integer<int>(third.data()[63]), 64);
  }

  // A sparse 5 GiB file: the size needs 64 bits and a byte past 4 GiB must be where it was written.
  void mapsFilesLargerThan4GiB() {
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("large.bin").toStdString();
    const std::uint64_t size = 5ull << 30;
    const std::uint64_t marker_at = (4ull << 30) + 12345;
    {
      const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
      QVERIFY(fd >= 0);
      QCOMPARE(::ftruncate(fd, static_cast<off_t>(size)), 0);
      const char marker = 'L';
      QCOMPARE(::pwrite(fd, &marker, 1, static_cast<off_t>(marker_at)), ssize_t{1});
      ::close(fd);
    }
    const MappedFile file = MappedFile::open(path);
    QCOMPARE(file.size(), size);
    QCOMPARE(std::to_integer<char>(file.data()[marker_at]), 'L');
    QCOMPARE(std::to_integer<int>(file.data()[size - 1]), 0);
  }
};

QTEST_APPLESS_MAIN(TestMappedFile)
#include "test_mapped_file.moc"
