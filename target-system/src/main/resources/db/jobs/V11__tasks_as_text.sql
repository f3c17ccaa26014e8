-- A task is the JSON of an execution request (or a system callback) as the event carried it, kept and
-- handed out whole. jsonb refuses the escape \u0000 ("unsupported Unicode escape sequence"), which any
-- caller can put in a request's input_data: the event monitor would then be refused that receipt every
-- time it handed it in. Text keeps the JSON as written (the escape is six characters, not a NUL byte).
ALTER TABLE execution_requests ALTER COLUMN task TYPE TEXT USING task::text;
ALTER TABLE system_callback_tasks ALTER COLUMN task TYPE TEXT USING task::text;
