// MappedFile: contents, empty files, precise errors, move semantics, and a sparse file past 4 GiB.
#include "engine/io/mapped_file.h"
#include "tests/engine/io/io_test_files.h"

#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

#include <system_error>

using linea::io::MappedFile;

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
