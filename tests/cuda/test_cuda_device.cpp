// The CUDA backend on a machine with or without a GPU: queries never crash, kernels match the CPU.
#include "engine/cuda/cuda_device.h"

#include <QTest>

#include <vector>

class TestCudaDevice : public QObject {
  Q_OBJECT

 private slots:
  void deviceQueryAnswersWithoutCrashing() {
    const linea::cuda::DeviceQuery query = linea::cuda::query_devices();
    if (query.ok()) {
      QVERIFY(query.device_count >= 0);
      QCOMPARE(query.first_device_name.empty(), query.device_count == 0);
      qInfo("CUDA devices: %d (%s)", query.device_count, query.first_device_name.c_str());
    } else {
      QCOMPARE(query.device_count, 0);
      QVERIFY2(query.error.starts_with("cudaGetDeviceCount: "), query.error.c_str());
      qInfo("no CUDA device: %s", query.error.c_str());
    }
  }

  void vectorAddMatchesCpu() {
    const linea::cuda::DeviceQuery query = linea::cuda::query_devices();
    if (!query.ok() || query.device_count == 0)
      QSKIP(qPrintable(QStringLiteral("no CUDA device: %1").arg(QString::fromStdString(query.error))));
    const std::size_t n = (1u << 20) + 7;  // not a multiple of the block size
    std::vector<float> a(n), b(n), out(n, -1.0f);
    for (std::size_t i = 0; i < n; ++i) {
      a[i] = static_cast<float>(i) * 0.5f;
      b[i] = 3.0f - static_cast<float>(i % 1000);
    }
    const std::string error = linea::cuda::vector_add(a.data(), b.data(), out.data(), n);
    QVERIFY2(error.empty(), error.c_str());
    for (std::size_t i = 0; i < n; ++i) {
      if (out[i] != a[i] + b[i]) QFAIL(qPrintable(QStringLiteral("mismatch at %1").arg(i)));
    }
  }
};

QTEST_APPLESS_MAIN(TestCudaDevice)
#include "test_cuda_device.moc"
