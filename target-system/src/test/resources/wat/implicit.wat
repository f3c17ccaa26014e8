;; A contract paying the account its input names (ImplicitAccountsRpcTest): "send" as one Transfer of
;; 1 milliNEAR (promise_batch_action_transfer), which creates a missing implicit account; "send_twice" as
;; two Transfers in one batch, which nearcore does not let create one.
(module
  (import "env" "input" (func $input (param i64)))
  (import "env" "register_len" (func $register_len (param i64) (result i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "promise_batch_create" (func $batch_create (param i64 i64) (result i64)))
  (import "env" "promise_batch_action_transfer" (func $transfer (param i64 i64)))
  (memory (export "memory") 1)
  ;; u128 10^21 (1 milliNEAR) at 512
  (data (i32.const 512) "\00\00\a0\de\c5\ad\c9\35\36\00\00\00\00\00\00\00")

  ;; A batch to the account id the input holds (read to 0).
  (func $batch (result i64)
    (call $input (i64.const 0))
    (call $read_register (i64.const 0) (i64.const 0))
    (call $batch_create (call $register_len (i64.const 0)) (i64.const 0)))

  (func (export "send")
    (call $transfer (call $batch) (i64.const 512)))

  (func (export "send_twice")
    (local $p i64)
    (local.set $p (call $batch))
    (call $transfer (local.get $p) (i64.const 512))
    (call $transfer (local.get $p) (i64.const 512))))
