;; A WASI program that makes the wasm runtime itself fail, not a syscall: table.grow by 2^31 - 1
;; entries on a table of one, which Chicory 1.7.5 (TableInstance.grow) sums into a negative int
;; and hands to Arrays.copyOf, a NegativeArraySizeException where wasm wants -1. Writes "before\n"
;; first; exits 0 after the grow if it returned -1.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (table 1 funcref)
  (data (i32.const 32) "before\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 32))
    (i32.store (i32.const 4) (i32.const 7))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit
      (i32.ne (table.grow 0 (ref.null func) (i32.const 0x7fffffff)) (i32.const -1)))))
