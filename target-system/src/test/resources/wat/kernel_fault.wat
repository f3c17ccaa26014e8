;; A WASI program that calls a syscall the test's kernel table adds, test.fault, with the first
;; byte of stdin less '0': 0 throws an unexpected RuntimeException (the process must trap), 1 an
;; Error (as an OutOfMemoryError would), anything else is a long call (see LinuxEmulatorTest's
;; FaultyKernel). Writes "before\n", calls it, writes "after\n", exits 0.
(module
  (import "test" "fault" (func $fault (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 32) "before\n")
  (data (i32.const 48) "after\n")
  (func $print (param $at i32) (param $length i32)
    (i32.store (i32.const 0) (local.get $at))
    (i32.store (i32.const 4) (local.get $length))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    ;; one byte of stdin at 64
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 1))
    (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $print (i32.const 32) (i32.const 7))
    (drop (call $fault (i32.sub (i32.load8_u (i32.const 64)) (i32.const 48))))
    (call $print (i32.const 48) (i32.const 6))
    (call $proc_exit (i32.const 0))))
