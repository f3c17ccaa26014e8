-- OutLayer's jobs table (fastnear/near-outlayer coordinator/migrations) as its migrations leave it,
-- for the columns the stand-in uses: 20251017000004_job_based_workflow (the table, its UNIQUE and
-- indexes), 20251017000005_add_user_info_to_jobs, 20251025000001_add_job_statuses (failure
-- categories as statuses, error_details), 20251118000002_add_compile_cost_to_jobs and
-- 20251119000003_add_compile_time_ms. Timestamps are TIMESTAMP as OutLayer's; the stand-in writes UTC.

CREATE TABLE jobs (
    job_id BIGSERIAL PRIMARY KEY,
    request_id BIGINT NOT NULL,
    data_id TEXT NOT NULL,
    job_type TEXT NOT NULL CHECK (job_type IN ('compile', 'execute')),
    worker_id TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    wasm_checksum TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP NOT NULL DEFAULT NOW(),
    completed_at TIMESTAMP,

    -- One job of each type per (request_id, data_id): the claim is an INSERT this constraint arbitrates.
    UNIQUE (request_id, data_id, job_type)
);

CREATE INDEX idx_jobs_status ON jobs(status, created_at);
CREATE INDEX idx_jobs_request_id ON jobs(request_id);
CREATE INDEX idx_jobs_worker ON jobs(worker_id, status);
CREATE INDEX idx_jobs_data_id ON jobs(data_id);

-- 20251017000005_add_user_info_to_jobs
ALTER TABLE jobs
    ADD COLUMN user_account_id TEXT,
    ADD COLUMN near_payment_yocto TEXT,
    ADD COLUMN github_repo TEXT,
    ADD COLUMN github_commit TEXT,
    ADD COLUMN transaction_hash TEXT;

CREATE INDEX idx_jobs_user ON jobs(user_account_id);
CREATE INDEX idx_jobs_github_repo ON jobs(github_repo);

-- 20251025000001_add_job_statuses: a failure's category is its status.
ALTER TABLE jobs ADD CONSTRAINT jobs_status_check CHECK (
    status IN (
        'pending',
        'in_progress',
        'completed',
        'failed',
        'compilation_failed',
        'execution_failed',
        'access_denied',
        'insufficient_payment',
        'custom'
    )
);
ALTER TABLE jobs ADD COLUMN error_details TEXT;
CREATE INDEX idx_jobs_error_status ON jobs(status)
    WHERE status IN ('failed', 'compilation_failed', 'execution_failed', 'access_denied', 'insufficient_payment', 'custom');

-- 20251118000002_add_compile_cost_to_jobs, 20251119000003_add_compile_time_ms
ALTER TABLE jobs ADD COLUMN compile_cost_yocto TEXT;
ALTER TABLE jobs ADD COLUMN compile_error TEXT;
ALTER TABLE jobs ADD COLUMN compile_time_ms BIGINT;
CREATE INDEX idx_jobs_compile_time ON jobs(compile_time_ms) WHERE compile_time_ms IS NOT NULL;
