;; Calls alt_bn128_pairing_check on the call's input, passed as register input (len u64::MAX), for
;; AltBn128PairingTest: returns the result as one byte.
(module
  (import "env" "input" (func $input (param i64)))
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (import "env" "alt_bn128_pairing_check" (func $pairing_check (param i64 i64) (result i64)))
  (memory (export "memory") 1)
  (func (export "pairing_check")
    (call $input (i64.const 0))
    (i64.store8 (i32.const 0) (call $pairing_check (i64.const -1) (i64.const 0)))
    (call $value_return (i64.const 1) (i64.const 0))))
