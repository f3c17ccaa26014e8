;; A contract between a signer and OutLayer: relay(args) calls outlayer.test.near's request_execution
;; with the same args, the deposit attached to it, and most of its gas, and returns what that returns.
;; OutLayer then sees this contract as the predecessor and the transaction's signer as the signer.
(module
  (import "env" "input" (func $input (param i64)))
  (import "env" "register_len" (func $register_len (param i64) (result i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "attached_deposit" (func $attached_deposit (param i64)))
  (import "env" "promise_create" (func $promise_create (param i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
  (import "env" "promise_return" (func $promise_return (param i64)))
  (memory (export "memory") 1)
  (data (i32.const 0) "outlayer.test.near")
  (data (i32.const 32) "request_execution")
  (func (export "relay")
    (local $len i64)
    (call $input (i64.const 0))
    (local.set $len (call $register_len (i64.const 0)))
    (call $read_register (i64.const 0) (i64.const 1024))
    (call $attached_deposit (i64.const 64))
    (call $promise_return
      (call $promise_create (i64.const 18) (i64.const 0) (i64.const 17) (i64.const 32)
        (local.get $len) (i64.const 1024) (i64.const 64) (i64.const 250000000000000)))))
