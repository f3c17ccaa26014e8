-- Accepted resolutions by their transaction (docs/executions.md, "A take-over while the first worker
-- resolves"): a resolution is recorded once, whether the worker that sent it reports it or the event
-- monitor reads it on the chain because the worker had not recorded it when the callback ran (it may
-- have died in between). resolutions.resolution_count counts these transactions.
CREATE TABLE resolution_txs (
    tx_hash TEXT PRIMARY KEY,
    request_id BIGINT NOT NULL,
    worker_id TEXT NOT NULL,
    from_chain BOOLEAN NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX resolution_txs_request_id ON resolution_txs (request_id);

-- The transaction whose resolution ended the request's execute job, and whether the job's details are
-- what the chain showed of it (its worker's own report, should it come, replaces them).
ALTER TABLE resolutions ADD COLUMN job_tx_hash TEXT;
ALTER TABLE resolutions ADD COLUMN job_from_chain BOOLEAN NOT NULL DEFAULT FALSE;
