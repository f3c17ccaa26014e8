;; NEP-616's host functions (nearcore logic.rs; DeterministicAccountsTest): what code the account
;; runs, where refunds of a receipt go, and deterministic state init.
(module
  (import "env" "current_contract_code" (func $current_contract_code (param i64) (result i64)))
  (import "env" "register_len" (func $register_len (param i64) (result i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (memory (export "memory") 1)

  ;; current_contract_code into register 1: returns its result as one byte, then the register's
  ;; bytes (none when it was not written)
  (func (export "code_kind")
    (local $len i64)
    (i64.store8 (i32.const 0) (call $current_contract_code (i64.const 1)))
    (local.set $len (call $register_len (i64.const 1)))
    (if (i64.eq (local.get $len) (i64.const -1))
      (then (local.set $len (i64.const 0)))
      (else (call $read_register (i64.const 1) (i64.const 1))))
    (call $value_return (i64.add (local.get $len) (i64.const 1)) (i64.const 0))))
