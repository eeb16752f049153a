// The one thread all speech synthesis runs on (espeak-ng and flite are not thread-safe), with its
// job queue. Jobs run in submission order.
//
// Thread-safety: submit() may be called from any thread. The destructor lets the running job
// finish, drops jobs that have not started (their futures report std::future_errc::broken_promise)
// and joins the thread; call it from a thread other than the worker.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>

namespace linea::audio {

class AudioWorker {
 public:
  AudioWorker();
  ~AudioWorker();
  AudioWorker(const AudioWorker&) = delete;
  AudioWorker& operator=(const AudioWorker&) = delete;

  template <typename Job>
  auto submit(Job job) -> std::future<std::invoke_result_t<Job&>> {
    using Result = std::invoke_result_t<Job&>;
    auto task = std::make_shared<std::packaged_task<Result()>>(std::move(job));
    std::future<Result> result = task->get_future();
    enqueue([task] { (*task)(); });
    return result;
  }

  bool on_worker_thread() const { return std::this_thread::get_id() == thread_.get_id(); }
  std::size_t queued_jobs() const;

 private:
  void enqueue(std::function<void()> job);
  void run();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool quitting_ = false;
  std::thread thread_;  // last: starts after the members it uses exist
};

}  // namespace linea::audio
