-- What the stale-claim rule needs and OutLayer's jobs table lacks (a worker that dies mid-job
-- leaves its job in_progress forever there): the claim's last sign of life and a claim counter, so
-- that a claim taken over after the timeout cannot complete late. Plus the failure category as
-- the worker sent it (status keeps OutLayer's categories; an unknown category is status 'failed')
-- and the job's own time (OutLayer keeps execution times in execution_history).

ALTER TABLE jobs ADD COLUMN heartbeat_at TIMESTAMP;
ALTER TABLE jobs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
ALTER TABLE jobs ADD COLUMN error_category TEXT;
ALTER TABLE jobs ADD COLUMN time_ms BIGINT;

-- Resolutions the contract accepted, per request: a count above 1 is a request executed twice.
CREATE TABLE resolutions (
    request_id BIGINT PRIMARY KEY,
    resolution_count INTEGER NOT NULL,
    first_at TIMESTAMP NOT NULL DEFAULT NOW(),
    last_at TIMESTAMP NOT NULL DEFAULT NOW()
);
