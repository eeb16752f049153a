#include "app/cli/cli_commands.h"
#include "engine/version.h"

#include <QTest>

#include <sstream>

namespace {

struct Run {
  int status;
  std::string out;
  std::string err;
};

Run run(std::vector<std::string> arguments) {
  std::ostringstream out, err;
  const int status = linea::cli::run_cli(arguments, out, err);
  return {status, out.str(), err.str()};
}

}  // namespace

class TestCliCommands : public QObject {
  Q_OBJECT

 private slots:
  void versionPrintsVersionBackendAndLibraries() {
    const Run result = run({"--version"});
    QCOMPARE(result.status, 0);
    QVERIFY(result.out.starts_with(std::string("linea-cli ") + linea::kVersion + "\n"));
    for (const char* expected : {"compute: ", "OpenCV ", "Tesseract ", "FFmpeg ", "PortAudio ", "espeak-ng ", "flite "})
      QVERIFY2(result.out.find(expected) != std::string::npos, expected);
    QCOMPARE(run({"-V"}).out, result.out);
  }

  void helpGoesToStdoutAndSucceeds() {
    const Run result = run({"--help"});
    QCOMPARE(result.status, 0);
    QVERIFY(result.out.starts_with("usage: linea-cli"));
    QVERIFY(result.err.empty());
  }

  void noArgumentsIsAUsageError() {
    const Run result = run({});
    QCOMPARE(result.status, 2);
    QVERIFY(result.err.starts_with("usage: linea-cli"));
  }

  void unknownCommandIsNamed() {
    const Run result = run({"frobnicate", "--x"});
    QCOMPARE(result.status, 2);
    QCOMPARE(result.err, std::string("linea-cli: unknown command 'frobnicate' (see linea-cli --help)\n"));
  }

  void everyCommandHasANameAndSummary() {
    for (const linea::cli::Command& command : linea::cli::commands()) {
      QVERIFY(command.name && *command.name);
      QVERIFY(command.summary && *command.summary);
      QVERIFY(command.run);
    }
  }
};

QTEST_APPLESS_MAIN(TestCliCommands)
#include "test_cli_commands.moc"
