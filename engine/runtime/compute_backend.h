// Which device the engine computes on. CUDA is used only when it was built in and a GPU answers;
// every other case falls back to the CPU and says why.
#pragma once

#include <string>

namespace linea {

enum class ComputeBackend { cpu, cuda };

struct ComputeBackendChoice {
  ComputeBackend backend = ComputeBackend::cpu;
  int cuda_device_count = 0;  // devices that answered (0 when CUDA is not built or unavailable)
  std::string reason;         // one human-readable line: what was chosen and why
};

// Probes once per call (cheap). Never throws, never aborts, whatever the driver says.
ComputeBackendChoice choose_compute_backend();

// True when this binary was built with the CUDA backend.
bool cuda_backend_built();

const char* compute_backend_name(ComputeBackend backend);

}  // namespace linea
