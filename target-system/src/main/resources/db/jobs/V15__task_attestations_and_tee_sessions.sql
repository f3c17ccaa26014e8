-- OutLayer's task attestations (coordinator migrations 20251112000006 create_attestations_table, then
-- 20251112000009/10/11 and 20260127000001 relaxing its checks for startup attestations, 20260108000002
-- attestations_https_support, 20260130000001 attestations_v1_fields), as its handlers/attestations.rs
-- uses it: a row per stored attestation, several per task allowed. Text is TEXT where OutLayer has
-- VARCHAR(n): the coordinator refuses a longer value before storing it (a database error there, a 500).
-- Its CHECK constraints are the coordinator's checks here, before any row is written.

CREATE TABLE task_attestations (
    id BIGSERIAL PRIMARY KEY,
    task_id BIGINT NOT NULL,               -- the job id; negative for a worker's startup attestation
    task_type TEXT NOT NULL,               -- 'compile' or 'execute'
    tdx_quote BYTEA NOT NULL,              -- the quote as the worker sent it (not verified, here or in OutLayer)
    worker_measurement TEXT NOT NULL,      -- RTMR3 read from the quote, 96 hex characters
    request_id BIGINT,
    caller_account_id TEXT,
    transaction_hash TEXT,
    block_height BIGINT,
    call_id UUID,                          -- HTTPS calls
    payment_key_owner TEXT,
    payment_key_nonce INTEGER,
    repo_url TEXT,
    commit_hash TEXT,
    build_target TEXT,
    wasm_hash TEXT,
    input_hash TEXT,
    output_hash TEXT NOT NULL,
    project_id TEXT,
    secrets_ref TEXT,
    attached_usd TEXT,
    created_at TIMESTAMP NOT NULL          -- the worker's timestamp when given, else when stored (UTC)
);
CREATE INDEX idx_attestations_task_id ON task_attestations(task_id, id);

-- OutLayer's TEE sessions (coordinator migration 20260205100000 add_worker_tee_sessions): one-time
-- challenges a worker signs with its TEE key, and the sessions its signature opens. OutLayer generates
-- session ids with gen_random_uuid() and keeps TIMESTAMPTZ; the coordinator generates them here and keeps
-- UTC TIMESTAMPs, as in the other tables.
CREATE TABLE worker_tee_sessions (
    session_id UUID PRIMARY KEY,
    token_hash TEXT NOT NULL,              -- sha256 of the worker token, hex
    worker_public_key TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX idx_tee_sessions_token ON worker_tee_sessions(token_hash);
CREATE INDEX idx_tee_sessions_active ON worker_tee_sessions(is_active) WHERE is_active = TRUE;

CREATE TABLE tee_challenges (
    challenge TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
