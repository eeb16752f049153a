// How much memory this process holds, for benchmarks and progress displays.
#pragma once

namespace linea {

// Peak resident set size so far, in MiB (getrusage ru_maxrss).
double peak_rss_mib();
// Current resident set size, in MiB (/proc/self/statm); 0 when unavailable.
double current_rss_mib();

}  // namespace linea
