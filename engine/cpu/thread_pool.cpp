#include "engine/cpu/thread_pool.h"

#include <algorithm>
#include <chrono>

namespace linea::cpu {

namespace {

// True while this thread executes a job body; a parallel_for from there runs inline.
thread_local bool inside_job_body = false;

// Polls `ready` until it holds or `limit` has passed; true when it held.
template <class Ready>
bool watch(Ready ready, std::chrono::microseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (ready()) return true;
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
    if (std::chrono::steady_clock::now() >= until) return false;
  }
}

// Splits a job into about this many ranges per thread so a thread slowed down by another process
// does not hold everyone up (the others take its unclaimed ranges).
constexpr std::int64_t kRangesPerThread = 4;

}  // namespace

int ThreadPool::hardware_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

ThreadPool::ThreadPool(int thread_count) {
  if (thread_count <= 0) thread_count = hardware_threads();
  workers_.reserve(static_cast<std::size_t>(thread_count - 1));
  for (int i = 1; i < thread_count; ++i) workers_.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_workers_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::parallel_for(std::int64_t count, std::int64_t min_grain, const RangeBody& body) {
  if (count <= 0) return;
  min_grain = std::max<std::int64_t>(1, min_grain);
  if (workers_.empty() || inside_job_body || count <= min_grain) {
    body(0, count);
    return;
  }

  std::lock_guard submit(submit_mutex_);
  const std::int64_t threads = thread_count();
  const std::int64_t grain =
      std::max(min_grain, (count + threads * kRangesPerThread - 1) / (threads * kRangesPerThread));
  const Job job{&body, count, grain};
  {
    std::lock_guard lock(mutex_);
    job_ = job;
    next_index_.store(0, std::memory_order_relaxed);
    failed_.store(false, std::memory_order_relaxed);
    first_error_ = nullptr;
    workers_busy_ = static_cast<int>(workers_.size());
    ++generation_;
  }
  wake_workers_.notify_all();

  run_ranges(job);

  watch([this] { return workers_busy_.load(std::memory_order_acquire) == 0; }, kWatch);
  std::exception_ptr error;
  {
    std::unique_lock lock(mutex_);
    job_finished_.wait(lock, [this] { return workers_busy_ == 0; });
    error = first_error_;
    job_ = Job{};
  }
  if (error) std::rethrow_exception(error);
}

void ThreadPool::run_ranges(const Job& job) {
  inside_job_body = true;
  // Ranges are claimed with one atomic add, not under the mutex, so that two threads claiming at the
  // same moment never wait for each other through the kernel (a contended mutex may sleep).
  while (!failed_.load(std::memory_order_relaxed)) {
    const std::int64_t begin = next_index_.fetch_add(job.grain, std::memory_order_relaxed);
    if (begin >= job.count) break;
    const std::int64_t end = std::min(job.count, begin + job.grain);
    try {
      (*job.body)(begin, end);
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!first_error_) first_error_ = std::current_exception();
      failed_.store(true, std::memory_order_relaxed);
    }
  }
  inside_job_body = false;
}

void ThreadPool::worker_loop() {
  std::uint64_t seen_generation = 0;
  for (;;) {
    watch([&] { return generation_.load(std::memory_order_acquire) != seen_generation; }, kWatch);
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_workers_.wait(lock, [&] { return stopping_ || generation_ != seen_generation; });
      if (stopping_) return;
      seen_generation = generation_;
      job = job_;
    }
    run_ranges(job);
    {
      std::lock_guard lock(mutex_);
      if (--workers_busy_ == 0) job_finished_.notify_one();
    }
  }
}

}  // namespace linea::cpu
