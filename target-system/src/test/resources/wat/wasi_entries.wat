;; A WASI program that makes empty directories in /tmp until one fails (at most 200,000): each name
;; must cost the /tmp quota, so the 64 MiB quota runs out (ENOSPC) after a bounded number. Then:
;; an empty file cannot be made either; removing one directory gives its entry back, so the file
;; can; removing another, a directory can again. Writes to stdout: the number made (i32, little
;; endian), then as bytes the errno that stopped the loop, of the file made when full, of the file
;; after one rmdir, of a directory after another rmdir (expected 51 51 0 0).
(module
  (import "wasi_snapshot_preview1" "path_create_directory" (func $mkdir (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_remove_directory" (func $rmdir (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "tmp/")
  (data (i32.const 200) "tmp/file")
  (data (i32.const 300) "0123456789abcdef")

  ;; writes "tmp/" and i as 8 hex digits at 100
  (func $name (param $i i32)
    (local $k i32)
    (loop $digits
      (i32.store8 (i32.add (i32.const 111) (i32.sub (i32.const 0) (local.get $k)))
        (i32.load8_u (i32.add (i32.const 300)
          (i32.and (i32.shr_u (local.get $i) (i32.mul (local.get $k) (i32.const 4))) (i32.const 15)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $digits (i32.lt_u (local.get $k) (i32.const 8)))))

  (func $create_file (result i32)
    (call $path_open (i32.const 3) (i32.const 0) (i32.const 200) (i32.const 8) (i32.const 1)
      (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 0)))

  (func (export "_start")
    (local $i i32) (local $errno i32)
    (block $full
      (loop $more
        (call $name (local.get $i))
        (local.set $errno (call $mkdir (i32.const 3) (i32.const 100) (i32.const 12)))
        (br_if $full (local.get $errno))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $more (i32.lt_u (local.get $i) (i32.const 200000)))))
    (i32.store (i32.const 512) (local.get $i))
    (i32.store8 (i32.const 516) (local.get $errno))
    (i32.store8 (i32.const 517) (call $create_file))
    (call $name (i32.const 0))
    (drop (call $rmdir (i32.const 3) (i32.const 100) (i32.const 12)))
    (i32.store8 (i32.const 518) (call $create_file))
    (call $name (i32.const 1))
    (drop (call $rmdir (i32.const 3) (i32.const 100) (i32.const 12)))
    (call $name (i32.const 0))
    (i32.store8 (i32.const 519) (call $mkdir (i32.const 3) (i32.const 100) (i32.const 12)))
    ;; iovec at 16: the 8 result bytes at 512
    (i32.store (i32.const 16) (i32.const 512))
    (i32.store (i32.const 20) (i32.const 8))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
    (call $proc_exit (i32.const 0))))
