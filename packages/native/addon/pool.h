// A persistent thread pool. A job is a list of stages; each stage is a number of independent
// pieces that any thread may run, and an optional step that runs once all of them are done
// (on the thread that finished the last piece) before the next stage opens.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace skk {

struct Stage {
  int64_t pieces = 0;
  std::function<void(int64_t)> run;
  std::function<void()> after;  // may be empty
};

struct Job {
  std::vector<Stage> stages;
  // Called once, on the pool thread that finished the job (async jobs).
  std::function<void()> on_done;
  // At most this many pool threads work on the job at once.
  int max_workers = 1;

  // Guarded by the pool's mutex.
  size_t stage = 0;
  int64_t next = 0;
  int64_t done = 0;
  int running = 0;
  bool finished = false;
};

class Pool {
 public:
  explicit Pool(int threads);
  ~Pool();
  Pool(const Pool &) = delete;
  Pool &operator=(const Pool &) = delete;

  int threads() const { return static_cast<int>(workers_.size()); }
  // Runs the job with the calling thread helping; returns when it is finished.
  void run_sync(const std::shared_ptr<Job> &job);
  // Queues the job; its on_done runs on a pool thread when it is finished.
  void submit(const std::shared_ptr<Job> &job);
  // Finishes every queued job, then joins the threads. Idempotent.
  void stop();

 private:
  void worker_loop();
  // Claims and runs one piece of `job` if it has one; `lk` is held on entry and on return.
  bool run_piece(std::unique_lock<std::mutex> &lk, const std::shared_ptr<Job> &job, bool is_worker);
  void open_stage(const std::shared_ptr<Job> &job);

  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::deque<std::shared_ptr<Job>> queue_;
  std::vector<std::thread> workers_;
  bool stopping_ = false;
  bool stopped_ = false;
};

}  // namespace skk
