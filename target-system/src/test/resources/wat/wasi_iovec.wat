;; A WASI program whose write declares an iovec far past its 64 KiB memory (2 GiB - 32 bytes long):
;; the emulator must answer EFAULT without allocating what the iovec claims, and the process goes on.
;; Exits with the errno of that write, after writing "ok\n" properly.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 32) "ok\n")
  (func (export "_start")
    (local $errno i32)
    ;; iovec at 0: {buf 16, len 0x7FFFFFE0}
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 0x7FFFFFE0))
    (local.set $errno (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    ;; iovec at 0: {buf 32, len 3}
    (i32.store (i32.const 0) (i32.const 32))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (local.get $errno))))
