-- The compiled wasm itself, which OutLayer's coordinator keeps as {checksum}.wasm in its
-- wasm_cache_dir (handlers/wasm.rs upload_wasm, get_wasm): here a column, so that coordinators
-- sharing the database share the files too, and an upload (bytes and metadata) is one statement.
-- NULL for a wasm compiled in-process (loaded from the program registry, nothing to download).
-- build_target: OutLayer's worker uploads it beside repo_url and commit_hash.

ALTER TABLE wasm_cache ADD COLUMN wasm BYTEA;
ALTER TABLE wasm_cache ADD COLUMN build_target TEXT;
