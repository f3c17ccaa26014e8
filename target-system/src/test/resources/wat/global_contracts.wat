;; NEP-591 global contracts from a contract (ReceiptEngineTest): each method's input is one byte n, a
;; receiver account id of n bytes, then the argument (code, a code hash or an account id, passed on
;; as they are); the method sends the receiver one receipt with the global-contract action.
(module
  (import "env" "input" (func $input (param i64)))
  (import "env" "register_len" (func $register_len (param i64) (result i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "promise_batch_create" (func $promise_batch_create (param i64 i64) (result i64)))
  (import "env" "promise_batch_action_create_account" (func $create_account (param i64)))
  (import "env" "promise_batch_action_transfer" (func $transfer (param i64 i64)))
  (import "env" "promise_batch_action_deploy_global_contract" (func $deploy (param i64 i64 i64)))
  (import "env" "promise_batch_action_deploy_global_contract_by_account_id"
    (func $deploy_by_account (param i64 i64 i64)))
  (import "env" "promise_batch_action_use_global_contract" (func $use (param i64 i64 i64)))
  (import "env" "promise_batch_action_use_global_contract_by_account_id"
    (func $use_by_account (param i64 i64 i64)))
  (memory (export "memory") 2)
  ;; u128 10^23 (0.1 NEAR) at 0: what a created account is given
  (data (i32.const 0) "\00\00\80\f6\4a\e1\c7\02\2d\15\00\00\00\00\00\00")
  (global $arg (mut i64) (i64.const 0))
  (global $arg_len (mut i64) (i64.const 0))

  ;; reads the input to 1024 and creates the receipt to its receiver (its promise index); the
  ;; argument is then at $arg, $arg_len bytes
  (func $start (result i64)
    (local $n i64) (local $len i64)
    (call $input (i64.const 0))
    (local.set $len (call $register_len (i64.const 0)))
    (call $read_register (i64.const 0) (i64.const 1024))
    (local.set $n (i64.load8_u (i32.const 1024)))
    (global.set $arg (i64.add (i64.const 1025) (local.get $n)))
    (global.set $arg_len (i64.sub (i64.sub (local.get $len) (i64.const 1)) (local.get $n)))
    (call $promise_batch_create (local.get $n) (i64.const 1025)))

  (func (export "deploy_global")
    (call $deploy (call $start) (global.get $arg_len) (global.get $arg)))
  (func (export "deploy_global_by_account")
    (call $deploy_by_account (call $start) (global.get $arg_len) (global.get $arg)))
  (func (export "use_global")
    (call $use (call $start) (global.get $arg_len) (global.get $arg)))
  (func (export "use_global_by_account")
    (call $use_by_account (call $start) (global.get $arg_len) (global.get $arg)))

  ;; a sub-account of this one, given 0.1 NEAR, running the global contract of the code hash
  (func (export "create_with_global")
    (local $p i64)
    (local.set $p (call $start))
    (call $create_account (local.get $p))
    (call $transfer (local.get $p) (i64.const 0))
    (call $use (local.get $p) (global.get $arg_len) (global.get $arg)))

  ;; the same with the global contract of the account id
  (func (export "create_with_global_by_account")
    (local $p i64)
    (local.set $p (call $start))
    (call $create_account (local.get $p))
    (call $transfer (local.get $p) (i64.const 0))
    (call $use_by_account (local.get $p) (global.get $arg_len) (global.get $arg))))
