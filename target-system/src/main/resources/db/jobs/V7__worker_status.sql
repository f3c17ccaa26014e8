-- OutLayer's worker_status (coordinator migration 20251015000002_worker_tracking_and_enhanced_history):
-- what each worker last said in POST /workers/heartbeat, and the counts POST /workers/task-completion
-- keeps (handlers/workers.rs).

CREATE TABLE worker_status (
    worker_id TEXT PRIMARY KEY,
    worker_name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'offline',
    current_task_id BIGINT,
    last_heartbeat_at TIMESTAMP NOT NULL DEFAULT NOW(),
    last_task_completed_at TIMESTAMP,
    total_tasks_completed BIGINT NOT NULL DEFAULT 0,
    total_tasks_failed BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_worker_status ON worker_status(status);
CREATE INDEX idx_worker_heartbeat ON worker_status(last_heartbeat_at);
