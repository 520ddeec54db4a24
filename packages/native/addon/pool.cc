#include "pool.h"

namespace skk {

Pool::Pool(int threads) {
  workers_.reserve(threads);
  for (int t = 0; t < threads; t++) workers_.emplace_back([this] { worker_loop(); });
}

Pool::~Pool() { stop(); }

void Pool::stop() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (stopped_) return;
    stopped_ = true;
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (std::thread &t : workers_) t.join();
}

// Skips stages with no pieces (running their `after` step) and finishes the job at the end.
void Pool::open_stage(const std::shared_ptr<Job> &job) {
  while (job->stage < job->stages.size() && job->stages[job->stage].pieces == 0) {
    if (job->stages[job->stage].after) job->stages[job->stage].after();
    job->stage++;
  }
  job->next = 0;
  job->done = 0;
  if (job->stage == job->stages.size()) job->finished = true;
}

bool Pool::run_piece(std::unique_lock<std::mutex> &lk, const std::shared_ptr<Job> &job, bool is_worker) {
  if (job->finished || job->stage >= job->stages.size()) return false;
  Stage &stage = job->stages[job->stage];
  if (job->next >= stage.pieces) return false;
  if (is_worker && job->running >= job->max_workers) return false;
  const int64_t piece = job->next++;
  if (is_worker) job->running++;
  lk.unlock();
  stage.run(piece);
  lk.lock();
  if (is_worker) job->running--;
  if (++job->done == stage.pieces) {
    if (stage.after) stage.after();
    job->stage++;
    open_stage(job);
    if (job->finished) {
      for (auto it = queue_.begin(); it != queue_.end(); ++it) {
        if (*it == job) {
          queue_.erase(it);
          break;
        }
      }
      done_cv_.notify_all();
      work_cv_.notify_all();  // idle workers recheck: stop() waits for an empty queue
      if (job->on_done) {
        lk.unlock();
        job->on_done();
        lk.lock();
      }
    } else {
      work_cv_.notify_all();
      done_cv_.notify_all();  // a sync caller helps with the next stage too
    }
  }
  return true;
}

void Pool::worker_loop() {
  std::unique_lock<std::mutex> lk(mu_);
  for (;;) {
    bool ran = false;
    for (size_t k = 0; k < queue_.size() && !ran; k++) {
      std::shared_ptr<Job> job = queue_[k];
      ran = run_piece(lk, job, true);
    }
    if (ran) continue;
    if (stopping_ && queue_.empty()) return;
    work_cv_.wait(lk);
  }
}

void Pool::run_sync(const std::shared_ptr<Job> &job) {
  std::unique_lock<std::mutex> lk(mu_);
  open_stage(job);
  if (job->finished) return;
  queue_.push_back(job);
  work_cv_.notify_all();
  while (!job->finished) {
    if (!run_piece(lk, job, false)) done_cv_.wait(lk);
  }
}

void Pool::submit(const std::shared_ptr<Job> &job) {
  std::unique_lock<std::mutex> lk(mu_);
  open_stage(job);
  if (job->finished) {
    lk.unlock();
    if (job->on_done) job->on_done();
    return;
  }
  queue_.push_back(job);
  work_cv_.notify_all();
}

}  // namespace skk
