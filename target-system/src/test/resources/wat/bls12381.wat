;; Calls the bls12381_* host functions on the call's input, for Bls12381Test: each method returns
;; the host function's status byte followed by the register's bytes (none for the pairing check).
(module
  (import "env" "input" (func $input (param i64)))
  (import "env" "register_len" (func $register_len (param i64) (result i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (import "env" "bls12381_p1_decompress" (func $p1_decompress (param i64 i64 i64) (result i64)))
  (import "env" "bls12381_g2_multiexp" (func $g2_multiexp (param i64 i64 i64) (result i64)))
  (import "env" "bls12381_pairing_check" (func $pairing_check (param i64 i64) (result i64)))
  (memory (export "memory") 1)
  ;; The input goes to register 0 and is passed as register input (len u64::MAX): nearcore charges
  ;; u64::MAX / item elements for that, so it is read into memory at 1024 instead.
  (func $load_input (result i64) (local $len i64)
    (call $input (i64.const 0))
    (local.set $len (call $register_len (i64.const 0)))
    (call $read_register (i64.const 0) (i64.const 1024))
    (local.get $len))
  (func $answer (param $status i64) (local $len i64)
    (i64.store8 (i32.const 0) (local.get $status))
    (local.set $len (i64.const 0))
    (if (i64.eqz (local.get $status)) (then
      (local.set $len (call $register_len (i64.const 1)))
      (call $read_register (i64.const 1) (i64.const 1))))
    (call $value_return (i64.add (local.get $len) (i64.const 1)) (i64.const 0)))
  (func (export "p1_decompress")
    (call $answer (call $p1_decompress (call $load_input) (i64.const 1024) (i64.const 1))))
  (func (export "g2_multiexp")
    (call $answer (call $g2_multiexp (call $load_input) (i64.const 1024) (i64.const 1))))
  (func (export "pairing_check") (local $status i64)
    (local.set $status (call $pairing_check (call $load_input) (i64.const 1024)))
    (i64.store8 (i32.const 0) (local.get $status))
    (call $value_return (i64.const 1) (i64.const 0))))
