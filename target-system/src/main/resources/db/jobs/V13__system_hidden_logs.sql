-- OutLayer's hidden system logs (coordinator migration 20251027000001_add_compilation_logs): raw
-- stderr/stdout of failed compiles that workers store through POST /internal/system-logs and operators
-- read through GET /admin/compile-logs/{job_id}; never shown by a public route (a build can print any
-- file of the machine it runs on). log_type is TEXT where OutLayer has VARCHAR(50) (a longer one is a
-- database error there, a 500). Times are UTC TIMESTAMPs from the coordinator's clock, as in the jobs
-- tables.

CREATE TABLE system_hidden_logs (
    id BIGSERIAL PRIMARY KEY,
    request_id BIGINT NOT NULL,
    job_id BIGINT,
    log_type TEXT NOT NULL,              -- 'compilation' or 'execution'
    stderr TEXT,
    stdout TEXT,
    exit_code INTEGER,
    execution_error TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_system_hidden_logs_request_id ON system_hidden_logs(request_id);
-- OutLayer indexes request_id, log_type and created_at; its admin read looks logs up by job
CREATE INDEX idx_system_hidden_logs_job_id ON system_hidden_logs(job_id, created_at DESC);
