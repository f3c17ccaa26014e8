;; Gas keys made and funded by a contract (protocol 85's gas_key_host_fns) for GasKeyHostFunctionsTest.
;; Every method takes a Borsh ed25519 public key (33 bytes) as input and sends one receipt to the
;; contract's own account.
(module
  (import "env" "input" (func $input (param i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "current_account_id" (func $current_account_id (param i64)))
  (import "env" "promise_batch_create" (func $batch_create (param i64 i64) (result i64)))
  (import "env" "promise_batch_action_add_gas_key_with_full_access"
    (func $add_full (param i64 i64 i64 i64)))
  (import "env" "promise_batch_action_add_gas_key_with_function_call"
    (func $add_call (param i64 i64 i64 i64 i64 i64 i64 i64 i64)))
  (import "env" "promise_batch_action_transfer_to_gas_key"
    (func $transfer (param i64 i64 i64 i64)))
  (memory (export "memory") 1)
  ;; u128 0 at 64, u128 10^21 (1 milliNEAR) at 80
  (data (i32.const 80) "\00\00\a0\de\c5\ad\c9\35\36")
  (data (i32.const 96) "counter.test.near")
  (data (i32.const 128) "increment")

  ;; The key (input) at 0, a batch to this account.
  (func $batch (result i64)
    (call $input (i64.const 0))
    (call $read_register (i64.const 0) (i64.const 0))
    (call $current_account_id (i64.const 1))
    (call $batch_create (i64.const -1) (i64.const 1)))

  ;; A full-access gas key with 3 nonce slots, funded with 1 milliNEAR.
  (func (export "add_and_fund")
    (local $p i64)
    (local.set $p (call $batch))
    (call $add_full (local.get $p) (i64.const 33) (i64.const 0) (i64.const 3))
    (call $transfer (local.get $p) (i64.const 33) (i64.const 0) (i64.const 80)))

  ;; A function-call gas key (counter.test.near, increment) with 2 slots, no allowance.
  (func (export "add_call_key")
    (call $add_call (call $batch) (i64.const 33) (i64.const 0) (i64.const 2) (i64.const 64)
      (i64.const 17) (i64.const 96) (i64.const 9) (i64.const 128)))

  ;; A gas key with no slot: the new receipt fails validation.
  (func (export "add_no_slots")
    (call $add_full (call $batch) (i64.const 33) (i64.const 0) (i64.const 0)))

  ;; 65,536 slots do not fit nearcore's u16: IntegerOverflow.
  (func (export "add_too_many_slots")
    (call $add_full (call $batch) (i64.const 33) (i64.const 0) (i64.const 65536)))
)
