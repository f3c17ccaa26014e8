-- OutLayer's two task queues (coordinator config.rs redis_queue_compile / redis_queue_execute,
-- handlers/tasks.rs create_task): a task waits in the compile queue while its wasm must be built,
-- in the execute queue once it is ready or its compile ended (handlers/jobs.rs complete_job moves
-- it). Existing rows were queued before the split: the compile queue, whose claim still hands out
-- the execute job of a cached wasm to a worker that can execute.

ALTER TABLE execution_requests ADD COLUMN queue TEXT NOT NULL DEFAULT 'compile'
    CHECK (queue IN ('compile', 'execute'));

DROP INDEX idx_execution_requests_queued;
CREATE INDEX idx_execution_requests_queued ON execution_requests(queue, queued_seq) WHERE queue_status = 'queued';
