;; A WASI program that asks memory.grow for 2^32 - 1 pages (-1 as an i32): past its own declared
;; maximum of two pages, so wasm says -1 and the program goes on; the emulator read the size as -1
;; pages, found it within that maximum and took the refusal for a hit of max_memory_mb (exit 137).
;; Exits 0 if the grow returned -1, else 1.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1 2)
  (func (export "_start")
    (call $proc_exit (i32.ne (memory.grow (i32.const -1)) (i32.const -1)))))
