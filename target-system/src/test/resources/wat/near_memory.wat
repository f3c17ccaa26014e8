;; The memory nearcore gives a contract, whatever it declares (prepare_v3.rs memory_type:
;; initial_memory_pages 1,024, max_memory_pages 2,048): this module declares 17 pages, as
;; near-sdk-rs contracts do, and a data segment at 2 MiB, past those 17 pages but inside NEAR's
;; 64 MiB, which nearcore places. Numbers are returned as i32 little-endian (NearMemoryTest).
(module
  (import "env" "input" (func $input (param i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "register_len" (func $register_len (param i64) (result i64)))
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (memory (export "memory") 17)
  (data (i32.const 2097152) "far")
  ;; memory.size at the start of the call.
  (func (export "size")
    (i32.store (i32.const 0) (memory.size))
    (call $value_return (i64.const 4) (i64.const 0)))
  ;; Grows to 2,048 pages, then by one more: [first grow's result, second grow's result, size].
  (func (export "grow_to_max") (local $first i32) (local $second i32)
    (local.set $first (memory.grow (i32.sub (i32.const 2048) (memory.size))))
    (local.set $second (memory.grow (i32.const 1)))
    (i32.store (i32.const 0) (local.get $first))
    (i32.store (i32.const 4) (local.get $second))
    (i32.store (i32.const 8) (memory.size))
    (call $value_return (i64.const 12) (i64.const 0)))
  ;; Grows to 2,048 pages and writes the last byte of the last one: 1.
  (func (export "write_top")
    (drop (memory.grow (i32.sub (i32.const 2048) (memory.size))))
    (i32.store8 (i32.const 134217727) (i32.add (i32.load8_u (i32.const 134217727)) (i32.const 1)))
    (call $value_return (i64.const 1) (i64.const 134217727)))
  ;; Returns the 4 bytes at 40 MiB (past the declared 17 pages) as they were, then writes there:
  ;; the next call must find zeros again.
  (func (export "read_then_write_far")
    (i32.store (i32.const 0) (i32.load (i32.const 41943040)))
    (i32.store (i32.const 41943040) (i32.const 0x21212121))
    (call $value_return (i64.const 4) (i64.const 0)))
  ;; The data segment at 2 MiB.
  (func (export "far_data")
    (call $value_return (i64.const 3) (i64.const 2097152)))
  ;; The input written by read_register at 64 MiB - 4 (fits up to 4 bytes) and returned from there.
  (func (export "host_write_at_end")
    (call $input (i64.const 0))
    (call $read_register (i64.const 0) (i64.const 67108860))
    (call $value_return (call $register_len (i64.const 0)) (i64.const 67108860)))
  ;; An i32 load at 64 MiB: past NEAR's initial memory.
  (func (export "load_past_initial")
    (drop (i32.load (i32.const 67108864)))))
