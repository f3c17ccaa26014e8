;; A WASI program that grows a table of one function reference: by 2^31 - 1 elements (Chicory
;; summed it into a negative int and threw), by two million (16 to 24 MB of heap outside
;; max_memory_mb, and nothing stopped 200 million), both past the process's budget, so wasm's
;; answer is -1; then by 1,000, which fits (the old size, 1). Exits 0 if so, else 1, 2 or 3 for
;; the grow that answered otherwise.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (table 1 funcref)
  (func (export "_start")
    (if (i32.ne (table.grow 0 (ref.null func) (i32.const 0x7fffffff)) (i32.const -1))
      (then (call $proc_exit (i32.const 1))))
    (if (i32.ne (table.grow 0 (ref.null func) (i32.const 2000000)) (i32.const -1))
      (then (call $proc_exit (i32.const 2))))
    (if (i32.ne (table.grow 0 (ref.null func) (i32.const 1000)) (i32.const 1))
      (then (call $proc_exit (i32.const 3))))
    (call $proc_exit (i32.const 0))))
