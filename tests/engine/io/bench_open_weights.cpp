// Benchmark (not a test): how long open_weights takes on a large sharded safetensors checkpoint.
// It writes a checkpoint shaped like MiniMax-M1's (by default 8,243 BF16 tensors over 16 shards,
// 64 GiB in all) as sparse files: each shard is its JSON header plus ftruncate, so the data pages are
// never written or read. Opening must read only the headers; the time reported is open + full
// validation (every header rule, every shard cross-checked against the index).
//
//   bench_open_weights [--shards N] [--tensors N] [--gib N] [--repeat N] [--dir DIR]
#include "engine/io/open_weights.h"
#include "engine/io/safetensors.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

struct Options {
  int shards = 16;
  int tensors = 8243;
  std::uint64_t gib = 64;
  int repeat = 5;
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "linea-bench-open-weights";
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--shards")
      options.shards = std::atoi(value);
    else if (flag == "--tensors")
      options.tensors = std::atoi(value);
    else if (flag == "--gib")
      options.gib = std::strtoull(value, nullptr, 10);
    else if (flag == "--repeat")
      options.repeat = std::atoi(value);
    else if (flag == "--dir")
      options.dir = value;
    else {
      std::fprintf(stderr, "unknown option %s\n", flag.c_str());
      std::exit(2);
    }
  }
  return options;
}

// Writes the checkpoint; returns the total size of the shards in bytes.
std::uint64_t write_checkpoint(const Options& options) {
  std::filesystem::remove_all(options.dir);
  std::filesystem::create_directories(options.dir);
  const int per_shard = (options.tensors + options.shards - 1) / options.shards;
  // Each tensor is a BF16 matrix [rows, 4096]; rows chosen so the checkpoint reaches --gib.
  const std::uint64_t row_bytes = 4096 * 2;
  const std::uint64_t rows =
      std::max<std::uint64_t>(1, (options.gib << 30) / row_bytes / static_cast<std::uint64_t>(options.tensors));
  std::string weight_map;
  std::uint64_t total = 0;
  int written = 0;
  for (int s = 0; s < options.shards; ++s) {
    char name[64];
    std::snprintf(name, sizeof name, "model-%05d-of-%05d.safetensors", s + 1, options.shards);
    std::string header = "{\"__metadata__\":{\"format\":\"pt\"}";
    std::uint64_t offset = 0;
    for (int t = 0; t < per_shard && written < options.tensors; ++t, ++written) {
      const std::string tensor = "model.layers." + std::to_string(written / 100) + ".block_sparse_moe.experts." +
                                 std::to_string(written % 100) + ".w1.weight";
      const std::uint64_t bytes = rows * row_bytes;
      header += ",\"" + tensor + "\":{\"dtype\":\"BF16\",\"shape\":[" + std::to_string(rows) +
                ",4096],\"data_offsets\":[" + std::to_string(offset) + "," + std::to_string(offset + bytes) + "]}";
      offset += bytes;
      weight_map += (weight_map.empty() ? "" : ",") + std::string("\"") + tensor + "\":\"" + name + "\"";
    }
    header += "}";
    header.append((8 - header.size() % 8) % 8, ' ');
    const std::filesystem::path path = options.dir / name;
    {
      std::ofstream out(path, std::ios::binary);
      const std::uint64_t length = header.size();
      out.write(reinterpret_cast<const char*>(&length), 8);
      out.write(header.data(), static_cast<std::streamsize>(header.size()));
    }
    const std::uint64_t size = 8 + header.size() + offset;
    if (::truncate(path.c_str(), static_cast<off_t>(size)) != 0) {
      std::perror("truncate");
      std::exit(1);
    }
    total += size;
  }
  std::ofstream(options.dir / "model.safetensors.index.json")
      << "{\"metadata\":{\"total_size\":" << total << "},\"weight_map\":{" << weight_map << "}}";
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  const std::uint64_t total = write_checkpoint(options);
  std::printf("checkpoint: %s, %d shards, %d tensors, %.1f GiB (sparse)\n", options.dir.c_str(), options.shards,
              options.tensors, static_cast<double>(total) / (1ull << 30));
  std::vector<double> times;
  std::size_t tensors = 0;
  for (int r = 0; r < options.repeat; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const auto weights = linea::io::open_weights(options.dir);
    const auto stop = std::chrono::steady_clock::now();
    tensors = weights->tensors().size();
    times.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
  }
  std::sort(times.begin(), times.end());
  std::printf("open_weights + validation: %zu tensors, min %.2f ms, median %.2f ms, max %.2f ms (%d runs)\n", tensors,
              times.front(), times[times.size() / 2], times.back(), options.repeat);
  std::filesystem::remove_all(options.dir);
  return 0;
}
