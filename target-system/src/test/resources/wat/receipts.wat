;; Cross-contract edges for the receipt engine's tests (ReceiptEngineTest). The input of the
;; then_*/and_three/deposit_fail/weighted methods is the callee's account id; callbacks
;; (echo_results, on_resume) return one entry per promise result: "S<value>;" or "F;".
(module
  (import "env" "input" (func $input (param i64)))
  (import "env" "current_account_id" (func $current_account_id (param i64)))
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (import "env" "panic_utf8" (func $panic_utf8 (param i64 i64)))
  (import "env" "log_utf8" (func $log_utf8 (param i64 i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "register_len" (func $register_len (param i64) (result i64)))
  (import "env" "promise_create" (func $promise_create (param i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
  (import "env" "promise_then" (func $promise_then (param i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
  (import "env" "promise_and" (func $promise_and (param i64 i64) (result i64)))
  (import "env" "promise_batch_create" (func $promise_batch_create (param i64 i64) (result i64)))
  (import "env" "promise_batch_action_function_call_weight"
    (func $promise_batch_action_function_call_weight (param i64 i64 i64 i64 i64 i64 i64 i64)))
  (import "env" "promise_return" (func $promise_return (param i64)))
  (import "env" "promise_results_count" (func $promise_results_count (result i64)))
  (import "env" "promise_result" (func $promise_result (param i64 i64) (result i64)))
  (import "env" "promise_yield_create" (func $promise_yield_create (param i64 i64 i64 i64 i64 i64 i64) (result i64)))
  (import "env" "promise_yield_resume" (func $promise_yield_resume (param i64 i64 i64 i64) (result i32)))
  (import "env" "storage_write" (func $storage_write (param i64 i64 i64 i64 i64) (result i64)))
  (import "env" "storage_read" (func $storage_read (param i64 i64 i64) (result i64)))
  (memory (export "memory") 1)
  (data (i32.const 0) "ok")
  (data (i32.const 8) "fail")
  (data (i32.const 16) "burn")
  (data (i32.const 24) "echo_results")
  (data (i32.const 40) "on_resume")
  (data (i32.const 56) "yield_id")
  (data (i32.const 64) "boom")
  ;; u128 0 at 96, u128 1000 at 112
  (data (i32.const 112) "\e8\03")

  (func (export "ok")
    (call $log_utf8 (i64.const 2) (i64.const 0))
    (call $value_return (i64.const 2) (i64.const 0)))

  (func (export "fail")
    (call $panic_utf8 (i64.const 4) (i64.const 64)))

  ;; A receipt without actions to the account named by the input (which may not exist).
  (func (export "empty_batch")
    (call $input (i64.const 0))
    (call $read_register (i64.const 0) (i64.const 200))
    (drop (call $promise_batch_create (call $register_len (i64.const 0)) (i64.const 200))))

  (func (export "burn")
    (loop $forever (br $forever)))

  ;; callee(input) . method  then  self . echo_results
  (func $then (param $m_ptr i64) (param $m_len i64) (param $gas i64) (param $amount_ptr i64)
    (local $p i64)
    (call $input (i64.const 0))
    (call $current_account_id (i64.const 2))
    (local.set $p (call $promise_create (i64.const -1) (i64.const 0) (local.get $m_len) (local.get $m_ptr)
      (i64.const 0) (i64.const 0) (local.get $amount_ptr) (local.get $gas)))
    (local.set $p (call $promise_then (local.get $p) (i64.const -1) (i64.const 2) (i64.const 12) (i64.const 24)
      (i64.const 0) (i64.const 0) (i64.const 96) (i64.const 20000000000000)))
    (call $promise_return (local.get $p)))

  (func (export "then_ok") (call $then (i64.const 0) (i64.const 2) (i64.const 20000000000000) (i64.const 96)))
  (func (export "then_fail") (call $then (i64.const 8) (i64.const 4) (i64.const 20000000000000) (i64.const 96)))
  (func (export "then_burn") (call $then (i64.const 16) (i64.const 4) (i64.const 5000000000000) (i64.const 96)))
  (func (export "deposit_fail") (call $then (i64.const 8) (i64.const 4) (i64.const 20000000000000) (i64.const 112)))

  ;; ok, fail, ok joined by promise_and, then echo_results
  (func (export "and_three")
    (local $p i64)
    (call $input (i64.const 0))
    (call $current_account_id (i64.const 2))
    (i64.store (i32.const 200) (call $promise_create (i64.const -1) (i64.const 0) (i64.const 2) (i64.const 0)
      (i64.const 0) (i64.const 0) (i64.const 96) (i64.const 20000000000000)))
    (i64.store (i32.const 208) (call $promise_create (i64.const -1) (i64.const 0) (i64.const 4) (i64.const 8)
      (i64.const 0) (i64.const 0) (i64.const 96) (i64.const 20000000000000)))
    (i64.store (i32.const 216) (call $promise_create (i64.const -1) (i64.const 0) (i64.const 2) (i64.const 0)
      (i64.const 0) (i64.const 0) (i64.const 96) (i64.const 20000000000000)))
    (local.set $p (call $promise_and (i64.const 200) (i64.const 3)))
    (local.set $p (call $promise_then (local.get $p) (i64.const -1) (i64.const 2) (i64.const 12) (i64.const 24)
      (i64.const 0) (i64.const 0) (i64.const 96) (i64.const 20000000000000)))
    (call $promise_return (local.get $p)))

  ;; one receipt to the callee with two calls of ok, then echo_results: only the last call's value
  ;; travels (nearcore gives a receipt's output data receivers to its last action only)
  (func (export "two_calls_then")
    (local $p i64)
    (call $input (i64.const 0))
    (call $current_account_id (i64.const 2))
    (local.set $p (call $promise_batch_create (i64.const -1) (i64.const 0)))
    (call $promise_batch_action_function_call_weight (local.get $p) (i64.const 2) (i64.const 0)
      (i64.const 0) (i64.const 0) (i64.const 96) (i64.const 20000000000000) (i64.const 0))
    (call $promise_batch_action_function_call_weight (local.get $p) (i64.const 2) (i64.const 0)
      (i64.const 0) (i64.const 0) (i64.const 96) (i64.const 20000000000000) (i64.const 0))
    (local.set $p (call $promise_then (local.get $p) (i64.const -1) (i64.const 2) (i64.const 12) (i64.const 24)
      (i64.const 0) (i64.const 0) (i64.const 96) (i64.const 20000000000000)))
    (call $promise_return (local.get $p)))

  ;; callee.ok with no gas of its own and weight 1: it runs only on the unused gas it is given
  (func (export "weighted")
    (local $p i64)
    (call $input (i64.const 0))
    (local.set $p (call $promise_batch_create (i64.const -1) (i64.const 0)))
    (call $promise_batch_action_function_call_weight (local.get $p) (i64.const 2) (i64.const 0)
      (i64.const 0) (i64.const 0) (i64.const 96) (i64.const 0) (i64.const 1))
    (call $promise_return (local.get $p)))

  (func $echo (export "echo_results")
    (local $n i64) (local $i i64) (local $out i32) (local $len i64)
    (local.set $n (call $promise_results_count))
    (local.set $out (i32.const 1024))
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
        (if (i64.eq (call $promise_result (local.get $i) (i64.const 3)) (i64.const 1))
          (then
            (i32.store8 (local.get $out) (i32.const 83))
            (local.set $out (i32.add (local.get $out) (i32.const 1)))
            (local.set $len (call $register_len (i64.const 3)))
            (call $read_register (i64.const 3) (i64.extend_i32_u (local.get $out)))
            (local.set $out (i32.add (local.get $out) (i32.wrap_i64 (local.get $len)))))
          (else
            (i32.store8 (local.get $out) (i32.const 70))
            (local.set $out (i32.add (local.get $out) (i32.const 1)))))
        (i32.store8 (local.get $out) (i32.const 59))
        (local.set $out (i32.add (local.get $out) (i32.const 1)))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next)))
    (call $log_utf8 (i64.extend_i32_u (i32.sub (local.get $out) (i32.const 1024))) (i64.const 1024))
    (call $value_return (i64.extend_i32_u (i32.sub (local.get $out) (i32.const 1024))) (i64.const 1024)))

  (export "on_resume" (func $echo))

  ;; yields on_resume; keeps the data id under "yield_id" and returns the yield's promise
  (func (export "yield")
    (local $p i64)
    (local.set $p (call $promise_yield_create (i64.const 9) (i64.const 40) (i64.const 0) (i64.const 0)
      (i64.const 20000000000000) (i64.const 0) (i64.const 4)))
    (call $read_register (i64.const 4) (i64.const 300))
    (drop (call $storage_write (i64.const 8) (i64.const 56) (i64.const 32) (i64.const 300) (i64.const 5)))
    (call $promise_return (local.get $p)))

  ;; resumes the stored yield with the input as payload; returns "1" if a yield was waiting, else "0".
  ;; The payload comes from memory: nearcore charges yield_resume_byte on payload_len as given, so
  ;; a register payload (len u64::MAX) is IntegerOverflow.
  (func (export "resume")
    (call $input (i64.const 0))
    (call $read_register (i64.const 0) (i64.const 500))
    (drop (call $storage_read (i64.const 8) (i64.const 56) (i64.const 4)))
    (i32.store8 (i32.const 400)
      (i32.add (i32.const 48) (call $promise_yield_resume (i64.const -1) (i64.const 4)
        (call $register_len (i64.const 0)) (i64.const 500))))
    (call $value_return (i64.const 1) (i64.const 400))))
