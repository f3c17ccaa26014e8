;; Contracts that misbehave on purpose: the simulator must fail the call and keep serving.
(module
  (import "env" "storage_write" (func $storage_write (param i64 i64 i64 i64 i64) (result i64)))
  (import "env" "storage_read" (func $storage_read (param i64 i64 i64) (result i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "register_len" (func $register_len (param i64) (result i64)))
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (import "env" "panic_utf8" (func $panic_utf8 (param i64 i64)))
  (import "env" "alt_bn128_pairing_check" (func $alt_bn128_pairing_check (param i64 i64) (result i64)))
  (import "env" "promise_return" (func $promise_return (param i64)))
  (import "env" "promise_result" (func $promise_result (param i64 i64) (result i64)))
  (import "env" "storage_iter_prefix" (func $storage_iter_prefix (param i64 i64) (result i64)))
  (import "env" "p256_verify" (func $p256_verify (param i64 i64 i64 i64 i64 i64) (result i64)))
  (memory (export "memory") 1)
  (data (i32.const 0) "key")
  (data (i32.const 8) "value")
  (data (i32.const 16) "boom")
  ;; Spins until the gas runs out.
  (func (export "loop_forever") (loop $l (br $l)))
  ;; Asks for 2,100 pages on top of NEAR's 1,024 (the limit is 2,048); a failed grow aborts like Rust's allocator.
  (func (export "grow_past_limit")
    (if (i32.eq (memory.grow (i32.const 2100)) (i32.const -1)) (then unreachable)))
  ;; Grows within the limit and returns the new size in pages as an i32 (NEAR's 1,024 + 2 = 1,026).
  (func (export "grow_within_limit")
    (drop (memory.grow (i32.const 2)))
    (i32.store (i32.const 32) (memory.size))
    (call $value_return (i64.const 4) (i64.const 32)))
  (func $recurse (param $n i64) (result i64)
    (i64.add (call $recurse (i64.add (local.get $n) (i64.const 1))) (i64.const 1)))
  (func (export "recurse") (drop (call $recurse (i64.const 0))))
  (func (export "write") (drop (call $storage_write (i64.const 3) (i64.const 0) (i64.const 5) (i64.const 8) (i64.const 0))))
  (func (export "write_then_panic")
    (drop (call $storage_write (i64.const 3) (i64.const 0) (i64.const 5) (i64.const 8) (i64.const 0)))
    (call $panic_utf8 (i64.const 4) (i64.const 16)))
  ;; Returns the stored value, or nothing when the key is absent.
  (func (export "read")
    (if (i64.eq (call $storage_read (i64.const 3) (i64.const 0) (i64.const 7)) (i64.const 1))
      (then (call $value_return (i64.const -1) (i64.const 7)))))
  ;; One byte is no whole 192-byte element: the host function fails the call (AltBn128InvalidInput).
  (func (export "bad_host_input") (drop (call $alt_bn128_pairing_check (i64.const 1) (i64.const 0))))
  (func (export "divide_by_zero") (drop (i32.div_s (i32.const 1) (i32.const 0))))
  ;; 64 MiB: the end of NEAR's initial 1,024 pages (the 1 page declared here does not count).
  (func (export "out_of_bounds") (drop (i32.load (i32.const 67108864))))
  ;; Host errors with fields: register 7 was never written (InvalidRegisterId), a 2,049-byte key
  ;; (KeyLengthExceeded, the limit is 2,048), promise 5 and promise result 3 that do not exist, and
  ;; the removed iterator API (Deprecated).
  (func (export "unset_register") (call $read_register (i64.const 7) (i64.const 0)))
  (func (export "long_key_read") (drop (call $storage_read (i64.const 2049) (i64.const 0) (i64.const 0))))
  (func (export "promise_of_nothing") (call $promise_return (i64.const 5)))
  (func (export "result_of_nothing") (drop (call $promise_result (i64.const 3) (i64.const 0))))
  (func (export "iterate") (drop (call $storage_iter_prefix (i64.const 0) (i64.const 0))))
  ;; A 63-byte signature: P256VerifyInvalidInput with its msg, before the message or key is read.
  (func (export "short_p256_signature")
    (drop (call $p256_verify (i64.const 63) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 33) (i64.const 0))))
  ;; Not a NEAR method: takes an argument.
  (func (export "with_param") (param i32)))
