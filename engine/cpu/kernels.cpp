#include "engine/cpu/kernels.h"

namespace linea::cpu {

// The only table so far is the reference; SIMD tables are chosen here by CPU feature at run time.
const Kernels& active_kernels() { return reference_kernels(); }

}  // namespace linea::cpu
