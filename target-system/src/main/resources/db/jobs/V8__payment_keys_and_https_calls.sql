-- The HTTPS API's state, as OutLayer's coordinator keeps it in PostgreSQL (coordinator migrations
-- 20260108000001 payment_key_tables, 20260108000003 payment_key_usage.job_id, 20260109000001
-- payment_keys_metadata, 20260121000001 grant keys, 20260204000001 https_request_id_seq), so that a
-- coordinator restart, or coordinators sharing the database, keep it. Amounts are u128 minimal
-- stablecoin units: NUMERIC(39, 0) (OutLayer's NUMERIC(38, 0) cannot hold the largest u128).
-- Times are UTC TIMESTAMPs from the coordinator's clock, as in the jobs tables.

CREATE TABLE payment_keys (
    owner TEXT NOT NULL,
    nonce BIGINT NOT NULL,               -- a u32 (OutLayer's INTEGER is signed)
    key_hash TEXT NOT NULL,              -- sha256 of the key, hex
    initial_balance NUMERIC(39, 0) NOT NULL CHECK (initial_balance >= 0),
    project_ids TEXT[] NOT NULL DEFAULT '{}',
    max_per_call TEXT,
    is_grant BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP NOT NULL DEFAULT NOW(),
    deleted_at TIMESTAMP,                -- soft delete
    PRIMARY KEY (owner, nonce)
);

CREATE TABLE payment_key_balances (
    owner TEXT NOT NULL,
    nonce BIGINT NOT NULL,
    spent NUMERIC(39, 0) NOT NULL DEFAULT 0 CHECK (spent >= 0),
    reserved NUMERIC(39, 0) NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    last_used_at TIMESTAMP,
    last_reserved_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    PRIMARY KEY (owner, nonce)
);

-- One row per finalized call (finalize_call's audit of what a key paid).
CREATE TABLE payment_key_usage (
    id BIGSERIAL PRIMARY KEY,
    owner TEXT NOT NULL,
    nonce BIGINT NOT NULL,
    call_id UUID NOT NULL UNIQUE,        -- ours: a call is charged once, whoever finalizes it
    project_id TEXT,
    compute_cost NUMERIC(39, 0) NOT NULL,
    attached_deposit NUMERIC(39, 0) NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    error_message TEXT,
    job_id BIGINT,
    created_at TIMESTAMP NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_payment_key_usage_owner_nonce ON payment_key_usage(owner, nonce);

CREATE TABLE project_owner_earnings (
    project_owner TEXT PRIMARY KEY,
    balance NUMERIC(39, 0) NOT NULL DEFAULT 0,
    total_earned NUMERIC(39, 0) NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL DEFAULT NOW()
);

-- HTTPS request ids start at 100 billion, above any on-chain request id (OutLayer's sequence).
CREATE SEQUENCE https_request_id_seq START WITH 100000000000;

CREATE TABLE https_calls (
    call_id UUID PRIMARY KEY,
    owner TEXT NOT NULL,
    nonce BIGINT NOT NULL,
    project_id TEXT NOT NULL,
    request_id BIGINT NOT NULL,          -- ours: the task's request id, for the jobs of the call
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'failed')),
    output_data TEXT,
    error_message TEXT,
    instructions BIGINT,
    time_ms BIGINT,
    compute_cost NUMERIC(39, 0),
    compute_limit NUMERIC(39, 0) NOT NULL, -- ours: with attached_deposit, what the call reserved
    attached_deposit NUMERIC(39, 0) NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    completed_at TIMESTAMP
);
CREATE INDEX idx_https_calls_pending ON https_calls(created_at) WHERE status = 'pending';

-- The system-callbacks queue (OutLayer's Redis list system_callbacks_queue and its dedup keys):
-- a task per event identity, taken once by a worker.
CREATE TABLE system_callback_tasks (
    task_id BIGSERIAL PRIMARY KEY,
    identity TEXT NOT NULL UNIQUE,
    task JSONB NOT NULL,
    taken_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX idx_system_callback_tasks_queued ON system_callback_tasks(task_id) WHERE taken_at IS NULL;
