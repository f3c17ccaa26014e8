;; A WASI program that renumbers stdout onto itself, fd_renumber(1, 1), as dup2(1, 1) does nothing
;; on Linux, then writes "ok\n" to it. Exits with the renumber's errno, plus 100 if the write failed.
(module
  (import "wasi_snapshot_preview1" "fd_renumber" (func $fd_renumber (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 32) "ok\n")
  (func (export "_start")
    (local $errno i32)
    (local.set $errno (call $fd_renumber (i32.const 1) (i32.const 1)))
    (i32.store (i32.const 0) (i32.const 32))
    (i32.store (i32.const 4) (i32.const 3))
    (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))
      (then (local.set $errno (i32.add (local.get $errno) (i32.const 100)))))
    (call $proc_exit (local.get $errno))))
