;; A WASI program that keeps a file's data alive after its name is gone, three ways: an open
;; descriptor on an unlinked file, a second hard link, and a descriptor on a file renamed over. Each
;; file is grown to 40 MiB (fd_filestat_set_size) against the 64 MiB /tmp quota: while the first
;; file's data is held, a second 40 MiB must be ENOSPC (51); once the last link and the last
;; descriptor are gone, it fits. Writes the nine errnos to stdout as bytes, expected 0 51 0 0 51 0 0 51 0.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_set_size" (func $set_size (param i32 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_unlink_file" (func $unlink (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_link"
    (func $path_link (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_rename" (func $rename (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; file names, 5 bytes each
  (data (i32.const 100) "tmp/a")
  (data (i32.const 110) "tmp/b")
  (data (i32.const 120) "tmp/c")
  (data (i32.const 130) "tmp/d")
  (data (i32.const 140) "tmp/e")
  (data (i32.const 150) "tmp/f")
  (data (i32.const 160) "tmp/g")
  (data (i32.const 170) "tmp/h")
  (global $results (mut i32) (i32.const 512))

  ;; opens (creating) the file named at $name; the fd
  (func $open (param $name i32) (result i32)
    (drop (call $path_open (i32.const 3) (i32.const 0) (local.get $name) (i32.const 5) (i32.const 1)
      (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 0)))
    (i32.load (i32.const 0)))
  ;; grows the file to 40 MiB and records the errno
  (func $fill (param $fd i32)
    (i32.store8 (global.get $results) (call $set_size (local.get $fd) (i64.const 41943040)))
    (global.set $results (i32.add (global.get $results) (i32.const 1))))
  (func $rm (param $name i32)
    (drop (call $unlink (i32.const 3) (local.get $name) (i32.const 5))))

  (func (export "_start")
    (local $a i32) (local $b i32) (local $c i32) (local $e i32) (local $f i32) (local $h i32)
    ;; an open descriptor on an unlinked file
    (local.set $a (call $open (i32.const 100)))
    (call $fill (local.get $a))
    (call $rm (i32.const 100))
    (local.set $b (call $open (i32.const 110)))
    (call $fill (local.get $b))
    (drop (call $fd_close (local.get $a)))
    (call $fill (local.get $b))
    (call $rm (i32.const 110))
    (drop (call $fd_close (local.get $b)))
    ;; a second hard link
    (local.set $c (call $open (i32.const 120)))
    (call $fill (local.get $c))
    (drop (call $fd_close (local.get $c)))
    (drop (call $path_link (i32.const 3) (i32.const 0) (i32.const 120) (i32.const 5)
      (i32.const 3) (i32.const 130) (i32.const 5)))
    (call $rm (i32.const 120))
    (local.set $e (call $open (i32.const 140)))
    (call $fill (local.get $e))
    (call $rm (i32.const 130))
    (call $fill (local.get $e))
    (call $rm (i32.const 140))
    (drop (call $fd_close (local.get $e)))
    ;; a file renamed over while open
    (local.set $f (call $open (i32.const 150)))
    (call $fill (local.get $f))
    (drop (call $fd_close (call $open (i32.const 160))))
    (drop (call $rename (i32.const 3) (i32.const 160) (i32.const 5) (i32.const 3) (i32.const 150) (i32.const 5)))
    (local.set $h (call $open (i32.const 170)))
    (call $fill (local.get $h))
    (drop (call $fd_close (local.get $f)))
    (call $fill (local.get $h))
    ;; the nine errnos to stdout: iovec at 16
    (i32.store (i32.const 16) (i32.const 512))
    (i32.store (i32.const 20) (i32.const 9))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
    (call $proc_exit (i32.const 0))))
