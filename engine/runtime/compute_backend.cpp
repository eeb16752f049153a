#include "engine/runtime/compute_backend.h"

#ifdef LINEA_HAVE_CUDA
#include "engine/cuda/cuda_device.h"
#endif

namespace linea {

bool cuda_backend_built() {
#ifdef LINEA_HAVE_CUDA
  return true;
#else
  return false;
#endif
}

ComputeBackendChoice choose_compute_backend() {
  ComputeBackendChoice choice;
#ifdef LINEA_HAVE_CUDA
  const cuda::DeviceQuery query = cuda::query_devices();
  if (!query.ok()) {
    choice.reason = "CUDA unavailable (" + query.error + "); using the CPU";
    return choice;
  }
  if (query.device_count == 0) {
    choice.reason = "CUDA found no GPU; using the CPU";
    return choice;
  }
  choice.backend = ComputeBackend::cuda;
  choice.cuda_device_count = query.device_count;
  choice.reason = "CUDA: " + std::to_string(query.device_count) + " GPU(s), first is " + query.first_device_name;
#else
  choice.reason = "built without CUDA; using the CPU";
#endif
  return choice;
}

const char* compute_backend_name(ComputeBackend backend) {
  return backend == ComputeBackend::cuda ? "cuda" : "cpu";
}

}  // namespace linea
