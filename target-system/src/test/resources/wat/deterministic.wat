;; NEP-616's host functions (nearcore logic.rs; DeterministicAccountsTest): what code the account
;; runs, where refunds of a receipt go, and deterministic state init.
(module
  (import "env" "current_contract_code" (func $current_contract_code (param i64) (result i64)))
  (import "env" "register_len" (func $register_len (param i64) (result i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (import "env" "input" (func $input (param i64)))
  (import "env" "panic" (func $panic))
  (import "env" "current_account_id" (func $current_account_id (param i64)))
  (import "env" "refund_to_account_id" (func $refund_to_account_id (param i64)))
  (import "env" "promise_set_refund_to" (func $promise_set_refund_to (param i64 i64 i64)))
  (import "env" "promise_batch_create" (func $promise_batch_create (param i64 i64) (result i64)))
  (import "env" "promise_and" (func $promise_and (param i64 i64) (result i64)))
  (import "env" "promise_batch_action_function_call"
    (func $function_call (param i64 i64 i64 i64 i64 i64 i64)))
  (import "env" "promise_return" (func $promise_return (param i64)))
  (memory (export "memory") 1)
  ;; u128 10^21 (1 milliNEAR) at 512: the deposit call_with_refund_to attaches
  (data (i32.const 512) "\00\00\a0\de\c5\ad\c9\35\36\00\00\00\00\00\00\00")

  ;; current_contract_code into register 1: returns its result as one byte, then the register's
  ;; bytes (none when it was not written)
  (func (export "code_kind")
    (local $len i64)
    (i64.store8 (i32.const 0) (call $current_contract_code (i64.const 1)))
    (local.set $len (call $register_len (i64.const 1)))
    (if (i64.eq (local.get $len) (i64.const -1))
      (then (local.set $len (i64.const 0)))
      (else (call $read_register (i64.const 1) (i64.const 1))))
    (call $value_return (i64.add (local.get $len) (i64.const 1)) (i64.const 0)))

  ;; the input (at 1024) is one byte n, an account id of n bytes for refund_to, then a method name:
  ;; this account calls the method on itself with 1 milliNEAR and 10 Tgas, its receipt's balance
  ;; refunds going to that account, and returns the call's result
  (func (export "call_with_refund_to")
    (local $len i64) (local $n i64) (local $p i64)
    (call $input (i64.const 0))
    (local.set $len (call $register_len (i64.const 0)))
    (call $read_register (i64.const 0) (i64.const 1024))
    (local.set $n (i64.load8_u (i32.const 1024)))
    (call $current_account_id (i64.const 2))
    (local.set $p (call $promise_batch_create (i64.const -1) (i64.const 2)))
    (call $function_call (local.get $p)
      (i64.sub (i64.sub (local.get $len) (i64.const 1)) (local.get $n))
      (i64.add (i64.const 1025) (local.get $n))
      (i64.const 0) (i64.const 0) (i64.const 512) (i64.const 10000000000000))
    (call $promise_set_refund_to (local.get $p) (local.get $n) (i64.const 1025))
    (call $promise_return (local.get $p)))

  ;; refund_to_account_id as the call's value
  (func (export "who_refunds")
    (call $refund_to_account_id (i64.const 3))
    (call $value_return (i64.const -1) (i64.const 3)))

  (func (export "fail") (call $panic))

  ;; promise_set_refund_to on promise_and of two receipts: CannotSetRefundToOnJointPromise
  (func (export "refund_joint")
    (call $current_account_id (i64.const 2))
    (i64.store (i32.const 0) (call $promise_batch_create (i64.const -1) (i64.const 2)))
    (i64.store (i32.const 8) (call $promise_batch_create (i64.const -1) (i64.const 2)))
    (call $promise_set_refund_to (call $promise_and (i64.const 0) (i64.const 2))
      (i64.const -1) (i64.const 2)))

  ;; the input is the account id for promise 0, which does not exist: InvalidPromiseIndex unless
  ;; the id fails first
  (func (export "refund_no_promise")
    (call $input (i64.const 0))
    (call $promise_set_refund_to (i64.const 0) (i64.const -1) (i64.const 0)))

  ;; an account id past the end of memory, on a promise that does not exist: the id is read first
  (func (export "refund_out_of_bounds")
    (call $promise_set_refund_to (i64.const 7) (i64.const 16) (i64.const 65530)))
)
