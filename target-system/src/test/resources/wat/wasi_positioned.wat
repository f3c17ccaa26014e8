;; Positioned I/O and names as Linux sees them: pread and pwrite at an offset of 2^63 (negative as
;; off_t: EINVAL, not a read at the current position), pread on a directory (EISDIR), and a name of
;; 128 two-byte characters, 256 bytes (ENAMETOOLONG: NAME_MAX counts bytes). Writes the four errnos to
;; stdout as bytes and exits 0.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_pread" (func $pread (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_pwrite" (func $pwrite (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; an iovec at 64: 8 bytes at 128
  (data (i32.const 64) "\80\00\00\00\08\00\00\00")
  ;; the output iovec at 80: 4 bytes at 96
  (data (i32.const 80) "\60\00\00\00\04\00\00\00")
  (data (i32.const 256) "tmp/positioned")
  (data (i32.const 512) "\74\6d\70\2f\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9\c3\a9")
  (func (export "_start")
    (local $fd i32)
    ;; open (create) tmp/positioned read-write; its fd at 0
    (drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 256) (i32.const 14) (i32.const 1)
      (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 0)))
    (local.set $fd (i32.load (i32.const 0)))
    (i32.store8 (i32.const 96) (call $pread (local.get $fd) (i32.const 64) (i32.const 1)
      (i64.const 0x8000000000000000) (i32.const 16)))
    (i32.store8 (i32.const 97) (call $pwrite (local.get $fd) (i32.const 64) (i32.const 1)
      (i64.const 0x8000000000000000) (i32.const 16)))
    (i32.store8 (i32.const 98) (call $pread (i32.const 3) (i32.const 64) (i32.const 1)
      (i64.const 0) (i32.const 16)))
    (i32.store8 (i32.const 99) (call $path_open (i32.const 3) (i32.const 0) (i32.const 512) (i32.const 260)
      (i32.const 1) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 0)))
    (drop (call $write (i32.const 1) (i32.const 80) (i32.const 1) (i32.const 16)))
    (call $proc_exit (i32.const 0))))
