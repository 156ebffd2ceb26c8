// Runs N workers on std::threads; the first exception any of them throws stops the rest and is rethrown after join.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace w2v {

// Calls work(i) for i in [0, workers) concurrently. Workers should watch `stop` (when given): it is set when a worker
// fails, or when `poll` (called on this thread every `poll_interval` while waiting) returns true, for example
// because the user pressed Ctrl-C. Rethrows the first worker exception after every worker has returned.
template <typename Work>
void run_parallel(unsigned workers, Work&& work, std::atomic<bool>* stop = nullptr,
                  const std::function<bool()>& poll = nullptr,
                  std::chrono::milliseconds poll_interval = std::chrono::milliseconds(100)) {
  std::mutex mutex;
  std::condition_variable all_done;
  unsigned running = workers;
  std::exception_ptr first_error;

  auto run_one = [&](unsigned index) {
    try {
      work(index);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex);
      if (!first_error) first_error = std::current_exception();
      if (stop) stop->store(true, std::memory_order_relaxed);
    }
    std::lock_guard<std::mutex> lock(mutex);
    if (--running == 0) all_done.notify_all();
  };

  std::vector<std::thread> threads;
  threads.reserve(workers);
  try {
    for (unsigned i = 0; i < workers; ++i) threads.emplace_back(run_one, i);
  } catch (...) {
    // Could not start a thread: stop those that did start, then report.
    if (stop) stop->store(true);
    {
      std::unique_lock<std::mutex> lock(mutex);
      running -= workers - static_cast<unsigned>(threads.size());
    }
    for (std::thread& thread : threads) thread.join();
    throw;
  }

  {
    std::unique_lock<std::mutex> lock(mutex);
    while (running > 0) {
      if (poll) {
        all_done.wait_for(lock, poll_interval, [&] { return running == 0; });
        if (running == 0) break;
        lock.unlock();
        bool should_stop = false;
        try {
          should_stop = poll();
        } catch (...) {
          lock.lock();
          if (!first_error) first_error = std::current_exception();
          lock.unlock();
          should_stop = true;
        }
        if (should_stop && stop) stop->store(true, std::memory_order_relaxed);
        lock.lock();
      } else {
        all_done.wait(lock, [&] { return running == 0; });
      }
    }
  }
  for (std::thread& thread : threads) thread.join();
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace w2v
