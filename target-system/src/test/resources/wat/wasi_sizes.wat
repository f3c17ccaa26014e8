;; A WASI program giving the emulator sizes that wrap when read as signed: fd_filestat_set_size to
;; 2^63 (must be EINVAL, not a credit to the /tmp quota), and fd_readdir with a cookie of 2^31 and a
;; 64 KiB buffer (must end the directory, not trap, and allocate by the entries, not the buffer).
;; Exits with the set_size errno, plus 100 if readdir failed, plus 50 if it returned any bytes.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_set_size" (func $set_size (param i32 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir" (func $readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 2)
  (data (i32.const 32) "tmp/sizes")
  (func (export "_start")
    (local $errno i32)
    ;; open (create) tmp/sizes; its fd at 0
    (drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 32) (i32.const 9) (i32.const 1)
      (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 0)))
    (local.set $errno (call $set_size (i32.load (i32.const 0)) (i64.const 0x8000000000000000)))
    (if (call $readdir (i32.const 3) (i32.const 1024) (i32.const 65536) (i64.const 0x80000000) (i32.const 16))
      (then (local.set $errno (i32.add (local.get $errno) (i32.const 100)))))
    (if (i32.load (i32.const 16))
      (then (local.set $errno (i32.add (local.get $errno) (i32.const 50)))))
    (call $proc_exit (local.get $errno))))
