#pragma once

#include <iosfwd>

namespace linea::cli {

// First line "linea-cli <version>", then the compute backend and every linked library's version.
void print_version(std::ostream& out);

}  // namespace linea::cli
