;; A WASI program that asks random_get to fill all of its 4 MiB memory, 16 times: the emulator must
;; fill it in bounded chunks, not allocate 4 MiB for every call. Exits with the last call's errno,
;; plus 100 if the first or the last 16 bytes of memory are still all zero.
(module
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 64)
  (func (export "_start")
    (local $i i32) (local $errno i32)
    (loop $again
      (local.set $errno (call $random_get (i32.const 0) (i32.const 4194304)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (i32.const 16))))
    (if (i64.eqz (i64.or (i64.or (i64.load (i32.const 0)) (i64.load (i32.const 8)))
          (i64.or (i64.load (i32.const 4194288)) (i64.load (i32.const 4194296)))))
      (then (local.set $errno (i32.add (local.get $errno) (i32.const 100)))))
    (call $proc_exit (local.get $errno))))
