// Encoding speed of a tokenizer on a text file (not a test; tools/tokenizer/bench_tokenizer.sh runs it
// next to the Python `tokenizers` package on the same input).
//
//   bench_tokenizer TOKENIZER TEXT_FILE [REPEATS]
//
// Two ways, each timed REPEATS times: the whole file in one encode() call, and line by line (one call
// per line, as a document reader or a chat prompt would). Prints one line per pass and a summary
// "<mode>: cold_mb_s=... best_mb_s=... tokens=... fnv1a=..." (the hash of the ids lets the script
// check that both implementations produced the same tokens).
#include "engine/tokenizer/tokenizer_loader.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: bench_tokenizer TOKENIZER TEXT_FILE [REPEATS]\n";
    return 2;
  }
  const int repeats = argc > 3 ? std::stoi(argv[3]) : 3;
  try {
    const auto load_start = std::chrono::steady_clock::now();
    const linea::tokenizer::LoadedTokenizer loaded = linea::tokenizer::load_tokenizer(argv[1]);
    const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
    std::ifstream file(argv[2], std::ios::binary);
    std::ostringstream content;
    content << file.rdbuf();
    const std::string text = content.str();
    const double megabytes = static_cast<double>(text.size()) / 1e6;
    std::printf("tokenizer %s (%s), loaded in %.3f s; text %.2f MB\n", argv[1], loaded.tokenizer->kind().data(), load_s,
                megabytes);

    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start < text.size();) {
      std::size_t end = text.find('\n', start);
      end = end == std::string::npos ? text.size() : end + 1;  // each line keeps its newline
      lines.emplace_back(text.data() + start, end - start);
      start = end;
    }
    for (const char* mode : {"whole", "lines"}) {
      const bool whole = mode[0] == 'w';
      double cold = 0;
      double best = 0;
      std::vector<linea::tokenizer::TokenId> ids;
      for (int pass = 0; pass < repeats; ++pass) {
        ids.clear();
        const auto start = std::chrono::steady_clock::now();
        if (whole) {
          ids = loaded.tokenizer->encode(text, true);
        } else {
          for (std::string_view line : lines) {
            const auto line_ids = loaded.tokenizer->encode(line, true);
            ids.insert(ids.end(), line_ids.begin(), line_ids.end());
          }
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double rate = megabytes / seconds;
        std::printf("%s pass %d: %.3f s, %.2f MB/s, %zu tokens\n", mode, pass + 1, seconds, rate, ids.size());
        if (pass == 0) cold = rate;
        best = std::max(best, rate);
      }
      std::uint64_t hash = 1469598103934665603ull;  // FNV-1a over the ids as decimal text joined by ','
      for (std::size_t i = 0; i < ids.size(); ++i) {
        const std::string item = (i ? "," : "") + std::to_string(ids[i]);
        for (char c : item) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
      }
      std::printf("%s: cold_mb_s=%.2f best_mb_s=%.2f tokens=%zu fnv1a=%016llx\n", mode, cold, best, ids.size(),
                  static_cast<unsigned long long>(hash));
    }
  } catch (const std::exception& error) {
    std::cerr << "bench_tokenizer: " << error.what() << '\n';
    return 1;
  }
  return 0;
}
