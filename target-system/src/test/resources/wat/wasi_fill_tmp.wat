;; A WASI program that fills /tmp: files of 16 MiB + 64 KiB each, written 64 KiB at a time, until a
;; write is ENOSPC (51), then calls test.tmp_heap, a syscall the test's kernel table adds to look at
;; the heap /tmp's files hold, with every file still there. A file's array grew by doubling: three
;; files just past 16 MiB held 32 MiB each, 112 MiB for the 64 MiB quota. Exits 0 once full; 1 if
;; five files fit; 100 + errno on another error.
(module
  (import "test" "tmp_heap" (func $tmp_heap (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  ;; 64 KiB of data at 65536
  (memory (export "memory") 2)
  (data (i32.const 100) "tmp/atmp/btmp/ctmp/dtmp/e")
  (func (export "_start")
    (local $file i32) (local $fd i32) (local $chunks i32) (local $errno i32)
    ;; the iovec: 64 KiB at 65536
    (i32.store (i32.const 16) (i32.const 65536))
    (i32.store (i32.const 20) (i32.const 65536))
    (loop $files
      (local.set $errno (call $path_open (i32.const 3) (i32.const 0)
        (i32.add (i32.const 100) (i32.mul (local.get $file) (i32.const 5))) (i32.const 5) (i32.const 1)
        (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 0)))
      (if (i32.eq (local.get $errno) (i32.const 51)) (then (drop (call $tmp_heap)) (call $proc_exit (i32.const 0))))
      (if (local.get $errno) (then (call $proc_exit (i32.add (i32.const 100) (local.get $errno)))))
      (local.set $fd (i32.load (i32.const 0)))
      (local.set $chunks (i32.const 0))
      (loop $chunk
        (local.set $errno (call $fd_write (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 24)))
        (if (i32.eq (local.get $errno) (i32.const 51)) (then (drop (call $tmp_heap)) (call $proc_exit (i32.const 0))))
        (if (local.get $errno) (then (call $proc_exit (i32.add (i32.const 100) (local.get $errno)))))
        (local.set $chunks (i32.add (local.get $chunks) (i32.const 1)))
        (br_if $chunk (i32.lt_u (local.get $chunks) (i32.const 257))))
      (local.set $file (i32.add (local.get $file) (i32.const 1)))
      (br_if $files (i32.lt_u (local.get $file) (i32.const 5))))
    (call $proc_exit (i32.const 1))))
