;; A contract that declares no memory: nearcore's preparation gives it NEAR's 1,024 pages anyway
;; (prepare_v3.rs ensure_memory_section). Its code cannot reach that memory, host functions do:
;; value_return reads 8 zero bytes from it; read_register writes the input at 64 MiB - 4 (fits up
;; to 4 bytes, MemoryAccessViolation past that).
(module
  (import "env" "input" (func $input (param i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (func (export "zeros")
    (call $value_return (i64.const 8) (i64.const 1000)))
  (func (export "host_write_at_end")
    (call $input (i64.const 0))
    (call $read_register (i64.const 0) (i64.const 67108860))))
