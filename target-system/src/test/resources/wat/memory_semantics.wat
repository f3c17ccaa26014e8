;; Linear-memory semantics a copy-on-write memory must keep (CowMemoryTest, ContractMemoryTest):
;; data that straddles a 4 KiB page (4090) and a 64 KiB wasm page (65530), writes that must not
;; reach the next call, memory.grow, traps past the end and host functions reading and writing
;; across page boundaries. It declares 2 pages, at most 4 (CowMemoryTest's limits); as a NEAR
;; contract it has NEAR's 1,024 pages growing to 2,048 (ContractMemoryTest), so the functions
;; about the end of memory work from memory.size, and sizes are returned as i32 little-endian.
(module
  (import "env" "input" (func $input (param i64)))
  (import "env" "register_len" (func $register_len (param i64) (result i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (memory (export "memory") 2 4)
  (data (i32.const 4090) "abcdefghijkl")
  (data (i32.const 65530) "0123456789")
  ;; Adds one to the byte at 4090 and returns the 12 bytes there: "bbcdefghijkl" on every call.
  (func (export "bump")
    (i32.store8 (i32.const 4090) (i32.add (i32.load8_u (i32.const 4090)) (i32.const 1)))
    (call $value_return (i64.const 12) (i64.const 4090)))
  ;; Overwrites both straddling strings with one i64 store each, then returns them.
  (func (export "scribble")
    (i64.store (i32.const 4092) (i64.const 0x5858585858585858))
    (i64.store (i32.const 65532) (i64.const 0x5959595959595959))
    (call $value_return (i64.const 12) (i64.const 4090)))
  (func (export "read_straddling")
    (call $value_return (i64.const 10) (i64.const 65530)))
  ;; The call's input written by the host across the 4 KiB boundary at 4094, returned from there.
  (func (export "echo_across")
    (call $input (i64.const 0))
    (call $read_register (i64.const 0) (i64.const 4094))
    (call $value_return (call $register_len (i64.const 0)) (i64.const 4094)))
;; Grows by one page, writes into it, returns the old size (i32) and the byte read back.
  (func (export "grow_and_write") (local $old i32)
    (local.set $old (memory.grow (i32.const 1)))
    (i32.store (i32.const 0) (local.get $old))
    (i32.store8 (i32.add (i32.shl (local.get $old) (i32.const 16)) (i32.const 5)) (i32.const 90))
    (i32.store8 (i32.const 4) (i32.load8_u (i32.add (i32.shl (local.get $old) (i32.const 16)) (i32.const 5))))
    (call $value_return (i64.const 5) (i64.const 0)))
  ;; memory.grow by 1,025 pages (past NEAR's 2,048 from 1,024) gives -1 and the size stays:
  ;; returns both as i32.
  (func (export "grow_past_max")
    (i32.store (i32.const 0) (memory.grow (i32.const 1025)))
    (i32.store (i32.const 4) (memory.size))
    (call $value_return (i64.const 8) (i64.const 0)))
  ;; An i32 load whose last byte is one past the end.
  (func (export "load_past_end")
    (drop (i32.load (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 3)))))
  (func (export "store_past_end")
    (i32.store (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 2)) (i32.const 1)))
  ;; value_return reading 16 bytes of which 8 are past the end: MemoryAccessViolation.
  (func (export "host_read_past_end")
    (call $value_return (i64.const 16)
      (i64.sub (i64.extend_i32_u (i32.shl (memory.size) (i32.const 16))) (i64.const 8))))
  ;; read_register writing the input 4 bytes before the end: MemoryAccessViolation if it is longer.
  (func (export "host_write_past_end")
    (call $input (i64.const 0))
    (call $read_register (i64.const 0)
      (i64.sub (i64.extend_i32_u (i32.shl (memory.size) (i32.const 16))) (i64.const 4)))))
