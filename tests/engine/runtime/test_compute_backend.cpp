#include "engine/runtime/compute_backend.h"

#include <QTest>

class TestComputeBackend : public QObject {
  Q_OBJECT

 private slots:
  void choiceIsConsistent() {
    const linea::ComputeBackendChoice choice = linea::choose_compute_backend();
    QVERIFY2(!choice.reason.empty(), "the choice must always say why");
    if (choice.backend == linea::ComputeBackend::cuda) {
      QVERIFY(linea::cuda_backend_built());
      QVERIFY(choice.cuda_device_count > 0);
    } else {
      QCOMPARE(choice.cuda_device_count, 0);
      QVERIFY2(choice.reason.find("CPU") != std::string::npos, choice.reason.c_str());
    }
  }

  void reasonNamesWhyCudaIsUnused() {
    const linea::ComputeBackendChoice choice = linea::choose_compute_backend();
    if (!linea::cuda_backend_built()) QCOMPARE(choice.reason, std::string("built without CUDA; using the CPU"));
    else if (choice.backend == linea::ComputeBackend::cpu)
      QVERIFY2(choice.reason.starts_with("CUDA"), choice.reason.c_str());
  }

  void backendNames() {
    QCOMPARE(std::string(linea::compute_backend_name(linea::ComputeBackend::cpu)), std::string("cpu"));
    QCOMPARE(std::string(linea::compute_backend_name(linea::ComputeBackend::cuda)), std::string("cuda"));
  }
};

QTEST_APPLESS_MAIN(TestComputeBackend)
#include "test_compute_backend.moc"
