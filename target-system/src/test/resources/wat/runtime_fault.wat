;; A WASI program that makes the wasm runtime itself fail, not a syscall: memory.fill of 2^31 - 2
;; bytes from address 10, which Chicory 1.7.5 (ByteArrayMemory.fill) sums into a negative int and
;; fails with a NullPointerException where wasm wants an out-of-bounds trap. Writes "before\n"
;; first; exits 0 if the fill returned.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 32) "before\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 32))
    (i32.store (i32.const 4) (i32.const 7))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (memory.fill (i32.const 10) (i32.const 0) (i32.const 0x7ffffffe))
    (call $proc_exit (i32.const 0))))
