// Threads for the engine: a group of workers whose first exception stops the rest and is rethrown after the join,
// numbered pieces of work shared out among them, a bounded queue that hands work from producers to workers, and the
// results of numbered pieces put back in order.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace w2v {

// Runs work(i) for i in [0, n) on n threads. Workers should watch `stopping()`: it becomes true when a worker fails
// or when stop() is called (for example because the user pressed Ctrl-C).
class WorkerGroup {
 public:
  WorkerGroup() = default;
  WorkerGroup(const WorkerGroup&) = delete;
  WorkerGroup& operator=(const WorkerGroup&) = delete;
  ~WorkerGroup() {
    stop();
    for (std::thread& thread : threads_)
      if (thread.joinable()) thread.join();
  }

  template <typename Work>
  void start(unsigned n, Work work) {
    running_ = n;
    threads_.reserve(n);
    try {
      for (unsigned i = 0; i < n; ++i) threads_.emplace_back([this, work, i] { run_one(work, i); });
    } catch (...) {
      // Could not start a thread: stop those that did start; the destructor joins them.
      stop();
      std::lock_guard<std::mutex> lock(mutex_);
      running_ -= n - static_cast<unsigned>(threads_.size());
      throw;
    }
  }

  // Called once, on the first stop() (from whichever thread stops the group), e.g. to cancel a queue the workers
  // may be waiting on. Set it before start().
  void on_stop(std::function<void()> hook) { on_stop_ = std::move(hook); }

  void stop() {
    if (!stop_.exchange(true) && on_stop_) on_stop_();
  }
  bool stopping() const { return stop_.load(std::memory_order_relaxed); }
  const std::atomic<bool>& stop_flag() const { return stop_; }

  // Waits for every worker; calls `poll` on this thread every `interval` meanwhile, and stops the workers when it
  // returns true. Rethrows the first exception of a worker (or of `poll`) after all have returned.
  void wait(const std::function<bool()>& poll = nullptr,
            std::chrono::milliseconds interval = std::chrono::milliseconds(100)) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      while (running_ > 0) {
        if (!poll) {
          all_done_.wait(lock, [&] { return running_ == 0; });
          break;
        }
        if (all_done_.wait_for(lock, interval, [&] { return running_ == 0; })) break;
        lock.unlock();
        try {
          if (poll()) stop();
        } catch (...) {
          record(std::current_exception());
        }
        lock.lock();
      }
    }
    for (std::thread& thread : threads_) thread.join();
    threads_.clear();
    if (first_error_) std::rethrow_exception(first_error_);
  }

 private:
  template <typename Work>
  void run_one(const Work& work, unsigned index) {
    try {
      work(index);
    } catch (...) {
      record(std::current_exception());
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (--running_ == 0) all_done_.notify_all();
  }

  void record(std::exception_ptr error) {
    {
      std::lock_guard<std::mutex> lock(error_mutex_);
      if (!first_error_) first_error_ = error;
    }
    stop();
  }

  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  std::function<void()> on_stop_;
  std::mutex mutex_;
  std::condition_variable all_done_;
  unsigned running_ = 0;
  std::mutex error_mutex_;
  std::exception_ptr first_error_;
};

// Calls work(i) for i in [0, workers) concurrently and returns when all are done; see WorkerGroup.
template <typename Work>
void run_parallel(unsigned workers, Work&& work, const std::function<bool()>& poll = nullptr) {
  WorkerGroup group;
  group.start(workers, std::forward<Work>(work));
  group.wait(poll);
}

// Hands out the numbers [0, count) to `workers` threads, each number once. Worker w first takes the numbers of its
// own share, [count * w / workers, count * (w + 1) / workers), in order; then it takes the next numbers of the other
// shares, so that a fast thread does more and all finish together, while each share is still read from its start.
// (Taking the numbers in one sequence measured 0.3 analogy points worse at two threads on gcide, a dictionary in
// alphabetical order: both threads then trained the same stretch of the alphabet at the same time.)
class WorkShares {
 public:
  WorkShares(uint64_t count, unsigned workers) : shares_(workers ? workers : 1) {
    for (size_t w = 0; w < shares_.size(); ++w) {
      shares_[w].next.store(count * w / shares_.size(), std::memory_order_relaxed);
      shares_[w].end = count * (w + 1) / shares_.size();
    }
  }

  // The next number for worker `worker`: from its own share while it lasts, then from the others'. False when every
  // number is taken.
  bool next(unsigned worker, uint64_t* number) {
    for (size_t k = 0; k < shares_.size(); ++k) {
      Share& share = shares_[(worker + k) % shares_.size()];
      if (share.next.load(std::memory_order_relaxed) >= share.end) continue;
      const uint64_t taken = share.next.fetch_add(1, std::memory_order_relaxed);
      if (taken < share.end) {
        *number = taken;
        return true;
      }
    }
    return false;
  }

 private:
  struct alignas(64) Share {  // one cache line each: a share's owner takes from it at every piece
    std::atomic<uint64_t> next{0};
    uint64_t end = 0;
  };
  std::vector<Share> shares_;
};

// A first-in first-out queue of at most `capacity` items: producers wait while it is full, consumers while it is
// empty, so memory stays bounded whatever the speed of either side. Waits are sliced so that both sides notice a
// stop flag promptly.
template <typename Item>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity ? capacity : 1) {}

  // Adds an item, waiting up to `timeout` for room. False if it timed out, or if the queue was cancelled.
  bool push(Item&& item, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!has_room_.wait_for(lock, timeout, [&] { return room_or_cancelled(); }) || cancelled_) return false;
    items_.push_back(std::move(item));
    has_items_.notify_one();
    return true;
  }

  // Adds an item, waiting as long as it takes for room. False if the queue was cancelled: a producer whose workers
  // stop (and cancel the queue) needs no timeout to notice.
  bool push(Item&& item) {
    std::unique_lock<std::mutex> lock(mutex_);
    has_room_.wait(lock, [&] { return room_or_cancelled(); });
    if (cancelled_) return false;
    items_.push_back(std::move(item));
    has_items_.notify_one();
    return true;
  }

  // Takes the oldest item, waiting while the queue is empty and producers remain. False once it is drained and
  // every producer is done, or when the queue was cancelled.
  bool pop(Item* item) {
    std::unique_lock<std::mutex> lock(mutex_);
    has_items_.wait(lock, [&] { return !items_.empty() || producers_ == 0 || cancelled_; });
    if (cancelled_ || items_.empty()) return false;
    *item = std::move(items_.front());
    items_.pop_front();
    has_room_.notify_one();
    return true;
  }

  void add_producer() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++producers_;
  }
  // A producer has pushed its last item; when the last producer is done, consumers drain the queue and finish.
  void producer_done() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (producers_ > 0 && --producers_ == 0) has_items_.notify_all();
  }
  // Wakes and releases everyone; nothing more goes in or comes out.
  void cancel() {
    std::lock_guard<std::mutex> lock(mutex_);
    cancelled_ = true;
    items_.clear();
    has_items_.notify_all();
    has_room_.notify_all();
  }

 private:
  bool room_or_cancelled() const { return items_.size() < capacity_ || cancelled_; }

  const size_t capacity_;
  std::mutex mutex_;
  std::condition_variable has_room_, has_items_;
  std::deque<Item> items_;
  unsigned producers_ = 0;
  bool cancelled_ = false;
};

// Hands the results of pieces numbered 0, 1, 2, ..., finished by several threads in any order, to `consume` in
// number order: whichever thread finishes the next piece consumes it and every following one already finished (one
// thread at a time, outside the lock). Memory stays bounded because a thread waits in wait_turn(k) before working
// on piece k while k is `window` or more pieces ahead of the next to consume. Pieces must be started in number
// order (so the next one is always held by a thread that is not waiting).
template <typename Result>
class InOrder {
 public:
  InOrder(size_t window, std::function<void(Result&&)> consume)
      : window_(window ? window : 1), consume_(std::move(consume)) {}

  // Waits until piece `number` may start; false if cancelled meanwhile.
  bool wait_turn(uint64_t number) {
    std::unique_lock<std::mutex> lock(mutex_);
    turn_.wait(lock, [&] { return number < next_ + window_ || cancelled_; });
    return !cancelled_;
  }

  // The result of piece `number`. Throws what `consume` throws, on the thread that consumed.
  void put(uint64_t number, Result&& result) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (cancelled_) return;
    finished_.emplace(number, std::move(result));
    if (consuming_) return;  // that thread takes this one too, if it is next
    consuming_ = true;
    while (!cancelled_ && !finished_.empty() && finished_.begin()->first == next_) {
      Result next = std::move(finished_.begin()->second);
      finished_.erase(finished_.begin());
      lock.unlock();
      consume_(std::move(next));
      lock.lock();
      ++next_;
      turn_.notify_all();
    }
    consuming_ = false;
  }

  // Releases every waiting thread; nothing more is consumed.
  void cancel() {
    std::lock_guard<std::mutex> lock(mutex_);
    cancelled_ = true;
    finished_.clear();
    turn_.notify_all();
  }

 private:
  const size_t window_;
  std::function<void(Result&&)> consume_;
  std::mutex mutex_;
  std::condition_variable turn_;
  std::map<uint64_t, Result> finished_;
  uint64_t next_ = 0;
  bool consuming_ = false;
  bool cancelled_ = false;
};

}  // namespace w2v
