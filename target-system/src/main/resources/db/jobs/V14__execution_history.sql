-- OutLayer's dashboard reads (coordinator handlers/public.rs: GET /public/jobs, /public/stats,
-- /public/repos/popular, /public/users/{id}/earnings) go over its execution_history, one row per
-- POST /jobs/complete. A job here finishes once (a claim taken over cannot complete), so the finished
-- jobs are that history: a job keeps what its history row needs, written when it is claimed (from its
-- task: user_account_id, near_payment_yocto, github_repo, github_commit and transaction_hash, columns
-- of 20251017000005_add_user_info_to_jobs, and the project) and when it ends (instructions_used, an
-- execute job's; OutLayer's execution_history.instructions_used).

ALTER TABLE jobs ADD COLUMN instructions_used BIGINT;
ALTER TABLE jobs ADD COLUMN project_id TEXT;

-- The history is listed newest first, by when each job ended.
CREATE INDEX idx_jobs_history ON jobs(completed_at DESC, job_id DESC) WHERE completed_at IS NOT NULL;
