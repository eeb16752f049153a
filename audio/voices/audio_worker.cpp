#include "audio/voices/audio_worker.h"

namespace linea::audio {

AudioWorker::AudioWorker() : thread_([this] { run(); }) {}

AudioWorker::~AudioWorker() {
  std::deque<std::function<void()>> abandoned;
  {
    std::lock_guard lock(mutex_);
    quitting_ = true;
    abandoned.swap(jobs_);
  }
  wake_.notify_all();
  thread_.join();
  // `abandoned` is destroyed here, off the lock: each packaged_task breaks its promise.
}

std::size_t AudioWorker::queued_jobs() const {
  std::lock_guard lock(mutex_);
  return jobs_.size();
}

void AudioWorker::enqueue(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void AudioWorker::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return quitting_ || !jobs_.empty(); });
      if (quitting_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();  // a packaged_task: exceptions land in its future
  }
}

}  // namespace linea::audio
