;; A WASI program that asks for the CPU-time clocks: clock_res_get and clock_time_get of
;; CLOCK_PROCESS_CPUTIME_ID (2) and CLOCK_THREAD_CPUTIME_ID (3), then clock_time_get of the monotonic
;; clock (1). Writes the five errnos to stdout and returns from _start: Linux serves all five (0),
;; wasmtime's preview1 answers EBADF (8) for the CPU-time clocks.
(module
  (import "wasi_snapshot_preview1" "clock_res_get" (func $res (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $time (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (i32.store8 (i32.const 512) (call $res (i32.const 2) (i32.const 256)))
    (i32.store8 (i32.const 513) (call $time (i32.const 2) (i64.const 1) (i32.const 256)))
    (i32.store8 (i32.const 514) (call $res (i32.const 3) (i32.const 256)))
    (i32.store8 (i32.const 515) (call $time (i32.const 3) (i64.const 1) (i32.const 256)))
    (i32.store8 (i32.const 516) (call $time (i32.const 1) (i64.const 1) (i32.const 256)))
    (i32.store (i32.const 16) (i32.const 512))
    (i32.store (i32.const 20) (i32.const 5))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))))
