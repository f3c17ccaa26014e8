-- OutLayer's project storage (coordinator migrations 20251218000001 add_storage_tables, 20260105000001
-- storage_require_project, 20260112000001 add_storage_public_flag), as its handlers/storage.rs and
-- public.rs use it: one row per (project, account, key hash), and a usage row per (project, account)
-- that the writes recompute. Identifiers are TEXT where OutLayer has VARCHAR(64): OutLayer refuses a
-- longer one with a database error (a 500, or "not found" where its handler swallows errors).

CREATE TABLE storage_data (
    id BIGSERIAL PRIMARY KEY,
    project_uuid TEXT NOT NULL,
    wasm_hash TEXT NOT NULL,             -- the version that wrote the row last
    account_id TEXT NOT NULL,            -- a NEAR account, or '@worker' for the program's own storage
    key_hash TEXT NOT NULL,              -- sha256 of the plaintext key, hex
    encrypted_key BYTEA NOT NULL,        -- the plaintext key when is_encrypted is false
    encrypted_value BYTEA NOT NULL,      -- the plaintext value when is_encrypted is false
    is_encrypted BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP NOT NULL DEFAULT NOW(),
    CONSTRAINT storage_data_unique_key UNIQUE (project_uuid, account_id, key_hash)
);
CREATE INDEX idx_storage_data_wasm_hash ON storage_data(wasm_hash, account_id, key_hash);

CREATE TABLE storage_usage (
    id BIGSERIAL PRIMARY KEY,
    project_uuid TEXT NOT NULL,
    account_id TEXT NOT NULL,
    total_bytes BIGINT NOT NULL DEFAULT 0,  -- encrypted_key + encrypted_value bytes
    key_count INT NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL DEFAULT NOW(),
    CONSTRAINT storage_usage_project_unique UNIQUE (project_uuid, account_id)
);
