;; A WASI program that asks random_get for 4 GiB in all: 1,024 calls that each fill its whole 4 MiB
;; memory. Making random bytes costs about 25 times a copy (the DRBG gives some 300 MB/s), so it
;; must end at a limit: the linux profile's instructions, or the wall time where host calls cost
;; no instructions (the outlayer profile, as wasmtime's fuel). Exits 0 if it got all 4 GiB.
(module
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 64)
  (func (export "_start")
    (local $i i32) (local $errno i32)
    (loop $again
      (local.set $errno (call $random_get (i32.const 0) (i32.const 4194304)))
      (if (local.get $errno) (then (call $proc_exit (local.get $errno))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (i32.const 1024))))
    (call $proc_exit (i32.const 0))))
