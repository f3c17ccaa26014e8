;; Receipts that nearcore's validate_receipt refuses after the call that created them
;; (ReceiptEngineTest). Each method first writes "k" = "v" (dropped when the receipt is refused),
;; then sends its receipt to the contract's own account. The input, where read, is a u64 (LE).
(module
  (import "env" "input" (func $input (param i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "current_account_id" (func $current_account_id (param i64)))
  (import "env" "storage_write" (func $storage_write (param i64 i64 i64 i64 i64) (result i64)))
  (import "env" "promise_batch_create" (func $promise_batch_create (param i64 i64) (result i64)))
  (import "env" "promise_batch_action_transfer" (func $promise_batch_action_transfer (param i64 i64)))
  (import "env" "promise_batch_action_deploy_contract"
    (func $promise_batch_action_deploy_contract (param i64 i64 i64)))
  (import "env" "promise_batch_action_function_call"
    (func $promise_batch_action_function_call (param i64 i64 i64 i64 i64 i64 i64)))
  (import "env" "promise_batch_action_stake" (func $promise_batch_action_stake (param i64 i64 i64 i64)))
  (import "env" "promise_batch_action_add_key_with_function_call"
    (func $promise_batch_action_add_key_with_function_call (param i64 i64 i64 i64 i64 i64 i64 i64 i64)))
  ;; 65 pages: room for a 4 MiB + 1 contract from address 0
  (memory (export "memory") 65)
  (data (i32.const 0) "kv")
  (data (i32.const 8) "ok")
  ;; u128 0 at 32; a Borsh ed25519 key of 32 zero bytes (a point of order 4) at 64
  ;; the method name of long_key_method at 1024

  ;; "k" = "v", then a receipt to this account; returns its promise index
  (func $start (result i64)
    (drop (call $storage_write (i64.const 1) (i64.const 0) (i64.const 1) (i64.const 1) (i64.const 9)))
    (call $current_account_id (i64.const 1))
    (call $promise_batch_create (i64.const -1) (i64.const 1)))

  (func $count (result i64)
    (call $input (i64.const 2))
    (call $read_register (i64.const 2) (i64.const 16))
    (i64.load (i32.const 16)))

  ;; input transfers of 0 in one receipt
  (func (export "transfers")
    (local $p i64) (local $n i64)
    (local.set $n (call $count))
    (local.set $p (call $start))
    (block $done
      (loop $next
        (br_if $done (i64.eqz (local.get $n)))
        (call $promise_batch_action_transfer (local.get $p) (i64.const 32))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $next))))

  ;; input deploys of a 1-byte contract in one receipt
  (func (export "deploys")
    (local $p i64) (local $n i64)
    (local.set $n (call $count))
    (local.set $p (call $start))
    (block $done
      (loop $next
        (br_if $done (i64.eqz (local.get $n)))
        (call $promise_batch_action_deploy_contract (local.get $p) (i64.const 1) (i64.const 0))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $next))))

  ;; one deploy of input bytes read from address 0
  (func (export "deploy_sized")
    (local $n i64)
    (local.set $n (call $count))
    (call $promise_batch_action_deploy_contract (call $start) (local.get $n) (i64.const 0)))

  ;; a function call of "ok" with input gas and no weight
  (func (export "call_with_gas")
    (local $g i64)
    (local.set $g (call $count))
    (call $promise_batch_action_function_call (call $start)
      (i64.const 2) (i64.const 8) (i64.const 0) (i64.const 0) (i64.const 32) (local.get $g)))

  ;; a function call of "ok" with input gas, then a loop until the gas runs out
  (func (export "attach_then_burn")
    (local $g i64)
    (local.set $g (call $count))
    (call $promise_batch_action_function_call (call $start)
      (i64.const 2) (i64.const 8) (i64.const 0) (i64.const 0) (i64.const 32) (local.get $g))
    (loop $forever (br $forever)))

  ;; a stake of 0 with the all-zero ed25519 key
  (func (export "bad_stake")
    (call $promise_batch_action_stake (call $start) (i64.const 32) (i64.const 33) (i64.const 64)))

  ;; a function-call key allowed one method whose name is input bytes long
  (func (export "long_key_method")
    (local $n i64)
    (local.set $n (call $count))
    (memory.fill (i32.const 1024) (i32.const 97) (i32.wrap_i64 (local.get $n)))
    (call $current_account_id (i64.const 3))
    (call $promise_batch_action_add_key_with_function_call (call $start)
      (i64.const 33) (i64.const 64) (i64.const 0) (i64.const 32)
      (i64.const -1) (i64.const 3) (local.get $n) (i64.const 1024))))
