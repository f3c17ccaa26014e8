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
  (import "env" "promise_batch_action_state_init" (func $state_init (param i64 i64 i64 i64) (result i64)))
  (import "env" "promise_batch_action_state_init_by_account_id"
    (func $state_init_by_account (param i64 i64 i64 i64) (result i64)))
  (import "env" "set_state_init_data_entry" (func $set_entry (param i64 i64 i64 i64 i64 i64)))
  (import "env" "promise_batch_action_transfer" (func $transfer (param i64 i64)))
  (import "env" "promise_batch_action_delete_account" (func $delete_account (param i64 i64 i64)))
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

  ;; an account id past the end of memory (NEAR's 64 MiB, whatever is declared), on a promise that does not exist: the id is read first
  (func (export "refund_out_of_bounds")
    (call $promise_set_refund_to (i64.const 7) (i64.const 16) (i64.const 67108860)))

  ;; A DeterministicStateInit to a receiver. The input (at 1024): one byte n and the receiver id of
  ;; n bytes, the u128 deposit (16 bytes), a byte 0 for a code hash or 1 for an account id, a byte c
  ;; and the code identifier of c bytes, then entries, each a byte k, the key of k bytes, a byte v,
  ;; the value of v bytes. Returns the action index (u64, little-endian).
  (func $state_init_from_input (param $transfer_first i32)
    (local $len i64) (local $n i64) (local $p i64) (local $pos i64) (local $dep i64)
    (local $mode i64) (local $c i64) (local $a i64) (local $k i64) (local $v i64) (local $end i64)
    (call $input (i64.const 0))
    (local.set $len (call $register_len (i64.const 0)))
    (call $read_register (i64.const 0) (i64.const 1024))
    (local.set $end (i64.add (i64.const 1024) (local.get $len)))
    (local.set $n (i64.load8_u (i32.const 1024)))
    (local.set $p (call $promise_batch_create (local.get $n) (i64.const 1025)))
    (if (local.get $transfer_first) (then (call $transfer (local.get $p) (i64.const 512))))
    (local.set $dep (i64.add (i64.const 1025) (local.get $n)))
    (local.set $pos (i64.add (local.get $dep) (i64.const 16)))
    (local.set $mode (i64.load8_u (i32.wrap_i64 (local.get $pos))))
    (local.set $c (i64.load8_u (i32.wrap_i64 (i64.add (local.get $pos) (i64.const 1)))))
    (local.set $pos (i64.add (local.get $pos) (i64.const 2)))
    (if (i64.eqz (local.get $mode))
      (then (local.set $a
        (call $state_init (local.get $p) (local.get $c) (local.get $pos) (local.get $dep))))
      (else (local.set $a
        (call $state_init_by_account (local.get $p) (local.get $c) (local.get $pos) (local.get $dep)))))
    (local.set $pos (i64.add (local.get $pos) (local.get $c)))
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $pos) (local.get $end)))
        (local.set $k (i64.load8_u (i32.wrap_i64 (local.get $pos))))
        (local.set $v (i64.load8_u (i32.wrap_i64
          (i64.add (i64.add (local.get $pos) (i64.const 1)) (local.get $k)))))
        (call $set_entry (local.get $p) (local.get $a)
          (local.get $k) (i64.add (local.get $pos) (i64.const 1))
          (local.get $v) (i64.add (i64.add (local.get $pos) (i64.const 2)) (local.get $k)))
        (local.set $pos (i64.add (i64.add (i64.add (local.get $pos) (i64.const 2)) (local.get $k))
          (local.get $v)))
        (br $next)))
    (i64.store (i32.const 0) (local.get $a))
    (call $value_return (i64.const 8) (i64.const 0)))

  (func (export "state_init") (call $state_init_from_input (i32.const 0)))
  ;; the same after a Transfer of 1 milliNEAR in the receipt: the state init is action 1
  (func (export "state_init_after_transfer") (call $state_init_from_input (i32.const 1)))

  ;; set_state_init_data_entry on action 0 of a receipt whose action 0 is a Transfer: InvalidActionIndex
  (func (export "entry_on_transfer")
    (local $p i64)
    (call $current_account_id (i64.const 2))
    (local.set $p (call $promise_batch_create (i64.const -1) (i64.const 2)))
    (call $transfer (local.get $p) (i64.const 512))
    (call $set_entry (local.get $p) (i64.const 0) (i64.const 1) (i64.const 512) (i64.const 1) (i64.const 512)))

  ;; this account deletes itself, its balance to the beneficiary named by the input
  (func (export "delete_self")
    (call $input (i64.const 0))
    (call $current_account_id (i64.const 2))
    (call $delete_account (call $promise_batch_create (i64.const -1) (i64.const 2))
      (i64.const -1) (i64.const 0)))
)
