-- What the HTTPS API still kept per process or not at all (see docs/jobs-postgres.md, "The HTTPS API
-- in PostgreSQL"): OutLayer's earnings_history (coordinator migration 20260113000001, its HTTPS rows),
-- project_owner_withdrawals (20260108000001), and the payment keys' rate windows that OutLayer keeps
-- in Redis (call.rs check_payment_key_rate_limit: INCR pk_rate:{owner}:{nonce}, EXPIRE 60 on the first).

-- One row per finalized call that earned its project's owner something (finalize_call's step 4).
CREATE TABLE earnings_history (
    id BIGSERIAL PRIMARY KEY,
    project_owner TEXT NOT NULL,
    project_id TEXT NOT NULL,
    attached_usd NUMERIC(39, 0) NOT NULL,
    refund_usd NUMERIC(39, 0) NOT NULL DEFAULT 0,
    amount NUMERIC(39, 0) NOT NULL,
    source TEXT NOT NULL,                -- 'blockchain' or 'https' (only 'https' rows are written here)
    tx_hash TEXT,
    caller TEXT,
    request_id BIGINT,
    call_id UUID,
    payment_key_owner TEXT,
    payment_key_nonce BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX idx_earnings_history_owner ON earnings_history(project_owner, created_at DESC, id DESC);

-- Ours, belt and braces: the withdrawal's conditional UPDATE already never takes more than the balance.
ALTER TABLE project_owner_earnings ADD CONSTRAINT project_owner_earnings_balance_check CHECK (balance >= 0);

CREATE TABLE project_owner_withdrawals (
    id BIGSERIAL PRIMARY KEY,
    project_owner TEXT NOT NULL,
    amount NUMERIC(39, 0) NOT NULL CHECK (amount > 0),
    tx_hash TEXT,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'failed')),
    created_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP
);
CREATE INDEX idx_project_owner_withdrawals_owner ON project_owner_withdrawals(project_owner, id DESC);

-- payment_key_usage is listed newest first per key.
CREATE INDEX idx_payment_key_usage_listing ON payment_key_usage(owner, nonce, created_at DESC, id DESC);

-- A key's calls in flight are its pending calls (the concurrency limit counts them under the key's row lock).
CREATE INDEX idx_https_calls_pending_key ON https_calls(owner, nonce) WHERE status = 'pending';

-- A key's fixed 60 s rate window, shared by every coordinator (OutLayer's Redis counter).
CREATE TABLE payment_key_rate_windows (
    owner TEXT NOT NULL,
    nonce BIGINT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    calls INTEGER NOT NULL,
    PRIMARY KEY (owner, nonce)
);
CREATE INDEX idx_payment_key_rate_windows_start ON payment_key_rate_windows(window_start);
