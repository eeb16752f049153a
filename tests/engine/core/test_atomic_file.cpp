#include "engine/core/atomic_file.h"

#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_plain(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

// Every entry of the folder except the named one: what a writer must not leave behind.
std::vector<std::string> other_entries(const fs::path& folder, const std::string& keep) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.path().filename() != keep) names.push_back(entry.path().filename().string());
  return names;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += name + " ";
  return text;
}

}  // namespace

class TestAtomicFile : public QObject {
  Q_OBJECT

 private slots:
  void writesContent_data() {
    QTest::addColumn<int>("size");
    QTest::newRow("empty") << 0;
    QTest::newRow("small") << 17;
    QTest::newRow("spans the buffer") << (3 << 20) + 5;  // several flushes and direct writes
  }
  void writesContent() {
    QFETCH(int, size);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path target = fs::path(dir.path().toStdString()) / "out.bin";
    std::string expected;
    for (int i = 0; i < size; ++i) expected.push_back(static_cast<char>((i * 131 + 7) % 251));

    linea::write_file_atomically(target, [&](linea::AtomicFileWriter& out) {
      // Mixed small and large pieces exercise both the buffered and the direct paths.
      std::size_t at = 0;
      std::size_t piece = 1;
      while (at < expected.size()) {
        const std::size_t n = std::min(piece, expected.size() - at);
        out.write(std::string_view(expected).substr(at, n));
        at += n;
        piece = piece * 7 % 700001 + 1;
      }
      QCOMPARE(out.bytes_written(), static_cast<std::uint64_t>(size));
    });
    QCOMPARE(read_all(target), expected);
    QVERIFY2(other_entries(target.parent_path(), "out.bin").empty(),
             joined(other_entries(target.parent_path(), "out.bin")).c_str());
  }

  void replacesExistingFile() {
    QTemporaryDir dir;
    const fs::path target = fs::path(dir.path().toStdString()) / "conversation.json";
    write_plain(target, "old content that is longer than the new one");
    linea::write_file_atomically(target, [](linea::AtomicFileWriter& out) { out.write("new"); });
    QCOMPARE(read_all(target), std::string("new"));
    QVERIFY(other_entries(target.parent_path(), "conversation.json").empty());
  }

  void producerThrowingLeavesOldFile() {
    QTemporaryDir dir;
    const fs::path target = fs::path(dir.path().toStdString()) / "state.bin";
    write_plain(target, "precious");
    bool saw_temporary = false;
    try {
      linea::write_file_atomically(target, [&](linea::AtomicFileWriter& out) {
        out.write(std::string(5 << 20, 'x'));  // large enough to be on disk already
        saw_temporary = fs::exists(out.temporary_path()) && out.temporary_path().parent_path() == target.parent_path();
        throw std::runtime_error("producer failed");
      });
      QFAIL("the producer's exception was swallowed");
    } catch (const std::runtime_error& error) {
      QCOMPARE(std::string(error.what()), std::string("producer failed"));
    }
    QVERIFY(saw_temporary);
    QCOMPARE(read_all(target), std::string("precious"));
    QVERIFY2(other_entries(target.parent_path(), "state.bin").empty(),
             joined(other_entries(target.parent_path(), "state.bin")).c_str());
  }

  void uncommittedWriterDiscards() {
    QTemporaryDir dir;
    const fs::path target = fs::path(dir.path().toStdString()) / "never.bin";
    fs::path temporary;
    {
      linea::AtomicFileWriter out(target);
      out.write("partial");
      temporary = out.temporary_path();
      QVERIFY(fs::exists(temporary));
      QVERIFY(!fs::exists(target));
    }
    QVERIFY(!fs::exists(temporary));
    QVERIFY(!fs::exists(target));
  }

  void overwriteAtPatchesEarlierBytes() {
    QTemporaryDir dir;
    const fs::path target = fs::path(dir.path().toStdString()) / "patched.bin";
    linea::AtomicFileWriter out(target);
    out.write("HEADER??");
    out.write(std::string(1 << 20, 'b'));  // pushes the header out of the buffer to disk
    out.write("tail");
    out.overwrite_at(6, std::as_bytes(std::span("OK", 2)));
    QVERIFY_THROWS_EXCEPTION(std::logic_error,
                             out.overwrite_at(out.bytes_written() - 1, std::as_bytes(std::span("xy", 2))));
    out.commit();
    const std::string content = read_all(target);
    QCOMPARE(content.size(), std::size_t{8 + (1 << 20) + 4});
    QCOMPARE(content.substr(0, 8), std::string("HEADEROK"));
    QCOMPARE(content.substr(content.size() - 4), std::string("tail"));
  }

  void twoWritersGetDistinctTemporaries() {
    QTemporaryDir dir;
    const fs::path target = fs::path(dir.path().toStdString()) / "same.bin";
    linea::AtomicFileWriter first(target);
    linea::AtomicFileWriter second(target);
    QVERIFY(first.temporary_path() != second.temporary_path());
    first.write("first");
    second.write("second");
    first.commit();
    second.commit();  // last commit wins, whole
    QCOMPARE(read_all(target), std::string("second"));
    QVERIFY(other_entries(target.parent_path(), "same.bin").empty());
  }

  void badFolderGivesClearError_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("reason");
    QTest::newRow("missing folder") << "missing" << QString::fromLocal8Bit(std::strerror(ENOENT));
    QTest::newRow("folder is a file") << "file" << QString::fromLocal8Bit(std::strerror(ENOTDIR));
  }
  void badFolderGivesClearError() {
    QFETCH(QString, kind);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    const fs::path root(dir.path().toStdString());
    fs::path target;
    if (kind == "missing") {
      target = root / "no-such-folder" / "out.bin";
    } else {
      write_plain(root / "plain-file", "x");
      target = root / "plain-file" / "out.bin";
    }
    try {
      linea::write_file_atomically(target, [](linea::AtomicFileWriter& out) { out.write("x"); });
      QFAIL("writing into a bad folder succeeded");
    } catch (const linea::FileWriteError& error) {
      const QString message = QString::fromStdString(error.what());
      QVERIFY2(message.startsWith(QString::fromStdString(target.string())), qPrintable(message));
      QVERIFY2(message.contains(QString::fromStdString(target.parent_path().string())), qPrintable(message));
      QVERIFY2(message.endsWith(reason), qPrintable(message));
      QCOMPARE(error.path(), target);
    }
  }

  void unwritableFolderGivesClearError() {
    QTemporaryDir dir;
    const fs::path root(dir.path().toStdString());
    const fs::path folder = root / "read-only";
    fs::create_directory(folder);
    write_plain(folder / "keep.txt", "kept");
    const fs::path target = folder / "keep.txt";
    // Readable and searchable by everyone, writable by no one.
    fs::permissions(root, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(folder, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);

    // Root ignores permission bits, so the attempt runs in a child that gives root up (as "nobody").
    int channel[2];
    QCOMPARE(::pipe(channel), 0);
    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0) {
      ::close(channel[0]);
      if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
      std::string report;
      int code = 0;
      try {
        linea::write_file_atomically(target, [](linea::AtomicFileWriter& out) { out.write("replacement"); });
        report = "writing into a read-only folder succeeded";
        code = 1;
      } catch (const linea::FileWriteError& error) {
        report = std::to_string(error.error_number()) + "|" + error.what();
      } catch (const std::exception& error) {
        report = std::string("unexpected exception: ") + error.what();
        code = 2;
      }
      [[maybe_unused]] const ssize_t written = ::write(channel[1], report.data(), report.size());
      ::_exit(code);
    }
    ::close(channel[1]);
    std::string report;
    char chunk[512];
    for (ssize_t got; (got = ::read(channel[0], chunk, sizeof chunk)) > 0;)
      report.append(chunk, static_cast<std::size_t>(got));
    ::close(channel[0]);
    int status = 0;
    QCOMPARE(::waitpid(child, &status, 0), child);
    fs::permissions(folder, fs::perms::owner_all);
    QVERIFY(WIFEXITED(status));
    QVERIFY2(WEXITSTATUS(status) != 3, "could not drop root privileges in the child");
    QVERIFY2(WEXITSTATUS(status) == 0, report.c_str());

    const std::size_t bar = report.find('|');
    QCOMPARE(report.substr(0, bar), std::to_string(EACCES));
    const QString message = QString::fromStdString(report.substr(bar + 1));
    QVERIFY2(
        message.startsWith(QString::fromStdString(target.string()) + ": cannot create a temporary file in folder " +
                           QString::fromStdString(folder.string())),
        qPrintable(message));
    QVERIFY2(message.endsWith(QString::fromLocal8Bit(std::strerror(EACCES))), qPrintable(message));
    QCOMPARE(read_all(target), std::string("kept"));
    QVERIFY(other_entries(folder, "keep.txt").empty());
  }

  void failedRenameRemovesTemporary() {
    // The target is a non-empty folder: everything up to the rename works, the rename fails.
    QTemporaryDir dir;
    const fs::path root(dir.path().toStdString());
    const fs::path target = root / "occupied";
    fs::create_directory(target);
    write_plain(target / "inside.txt", "inside");
    try {
      linea::write_file_atomically(target, [](linea::AtomicFileWriter& out) { out.write("data"); });
      QFAIL("renaming over a non-empty folder succeeded");
    } catch (const linea::FileWriteError& error) {
      const QString message = QString::fromStdString(error.what());
      QVERIFY2(message.startsWith(QString::fromStdString(target.string()) + ": cannot replace it with temporary file"),
               qPrintable(message));
      QVERIFY(error.error_number() != 0);
    }
    QVERIFY2(other_entries(root, "occupied").empty(), joined(other_entries(root, "occupied")).c_str());
    QCOMPARE(read_all(target / "inside.txt"), std::string("inside"));
  }

  void misuseIsRejected() {
    QTemporaryDir dir;
    const fs::path target = fs::path(dir.path().toStdString()) / "once.bin";
    linea::AtomicFileWriter out(target);
    out.write("a");
    out.commit();
    QVERIFY_THROWS_EXCEPTION(std::logic_error, out.write("b"));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, out.commit());
    QCOMPARE(read_all(target), std::string("a"));
  }
};

QTEST_APPLESS_MAIN(TestAtomicFile)
#include "test_atomic_file.moc"
