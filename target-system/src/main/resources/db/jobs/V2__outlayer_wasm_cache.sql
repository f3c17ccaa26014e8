-- OutLayer's wasm_cache (20250101000001_initial_schema): compiled wasm by checksum. The stand-in's
-- programs come from its registry by checksum, not from a repository, so repo_url, commit_hash and
-- file_size may be NULL here (OutLayer: NOT NULL).

CREATE TABLE wasm_cache (
    checksum TEXT PRIMARY KEY,
    repo_url TEXT,
    commit_hash TEXT,
    file_size BIGINT,
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    last_accessed_at TIMESTAMP NOT NULL DEFAULT NOW(),
    access_count BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX idx_cache_repo_commit ON wasm_cache(repo_url, commit_hash);
CREATE INDEX idx_cache_last_accessed ON wasm_cache(last_accessed_at);
