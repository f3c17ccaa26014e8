-- The task queue. OutLayer keeps the request's data in execution_requests
-- (20251118000001_add_execution_requests) and the queue itself in Redis; the stand-in keeps both
-- here so that several coordinators share one queue and it survives their restarts. The request
-- is one JSON document (the task a worker polls) rather than OutLayer's flattened columns.
-- The key is (request_id, data_id), the task's identity in the stand-in (OutLayer: request_id).

CREATE TABLE execution_requests (
    request_id BIGINT NOT NULL,
    data_id TEXT NOT NULL,
    task JSONB NOT NULL,
    -- queued: not handed out yet; handed_out: a worker has it (last_seen_at = its last sign of
    -- life); finished: its execute job completed or failed, never handed out again.
    queue_status TEXT NOT NULL DEFAULT 'queued' CHECK (queue_status IN ('queued', 'handed_out', 'finished')),
    queued_seq BIGSERIAL NOT NULL,
    last_seen_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    PRIMARY KEY (request_id, data_id)
);

-- poll: the oldest queued task, else a handed-out one whose worker went quiet.
CREATE INDEX idx_execution_requests_queued ON execution_requests(queued_seq) WHERE queue_status = 'queued';
CREATE INDEX idx_execution_requests_handed_out ON execution_requests(last_seen_at) WHERE queue_status = 'handed_out';
CREATE INDEX idx_execution_requests_created_at ON execution_requests(created_at);
