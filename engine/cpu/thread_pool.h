// A fixed pool of worker threads for data-parallel loops (rows of a matmul, heads of a state update).
//
// Workers SLEEP on a condition variable between jobs. On a machine shared with other processes (or
// with fewer free cores than threads) spin-waiting steals the cycles the real work needs, so only a
// short watch is allowed: after a job, a worker (and the caller waiting for workers) polls for up to
// kWatch before sleeping. Decode issues a few hundred small jobs per token, microseconds apart, and
// a wake-up through the kernel took longer than such a job: the worker came too late and the
// caller did its share too, so two threads ran no faster than one.
//
// Threading contract: parallel_for may be called from any thread; calls from different threads are
// serialised (one job runs at a time). A parallel_for issued from inside a job body runs inline on
// the calling thread (no nesting deadlock). The calling thread always does a share of the work.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace linea::cpu {

class ThreadPool {
 public:
  // `thread_count` threads take part in each job, the caller included; 1 means "no workers".
  // 0 picks the number of hardware threads.
  explicit ThreadPool(int thread_count = 0);
  ~ThreadPool();

  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int thread_count() const { return static_cast<int>(workers_.size()) + 1; }

  // Calls body(begin, end) on disjoint ranges that together cover [0, count), from up to
  // thread_count() threads, and returns when all are done. Ranges hold at least `min_grain` items
  // (except the last). The first exception a body throws is rethrown here after the job drains.
  using RangeBody = std::function<void(std::int64_t begin, std::int64_t end)>;
  void parallel_for(std::int64_t count, std::int64_t min_grain, const RangeBody& body);

  // Hardware threads reported by the OS (at least 1).
  static int hardware_threads();

 private:
  struct Job {
    const RangeBody* body = nullptr;
    std::int64_t count = 0;
    std::int64_t grain = 1;
  };

  void worker_loop();
  // Claims ranges of the current job until none is left. Returns normally even when a body throws.
  void run_ranges(const Job& job);

  std::vector<std::thread> workers_;

  std::mutex submit_mutex_;  // one job at a time

  static constexpr std::chrono::microseconds kWatch{100};

  // Guards everything below; the atomics are set under it for a new job, then read and claimed without.
  std::mutex mutex_;
  std::condition_variable wake_workers_;
  std::condition_variable job_finished_;
  Job job_;
  std::atomic<std::uint64_t> generation_ = 0;  // bumped for every job; workers wait for a change
  std::atomic<int> workers_busy_ = 0;          // workers still inside the current job
  std::atomic<std::int64_t> next_index_ = 0;   // first unclaimed item of the current job (claimed without the mutex)
  std::atomic<bool> failed_ = false;           // a body of the current job threw: claim no more
  std::exception_ptr first_error_;
  bool stopping_ = false;
};

}  // namespace linea::cpu
