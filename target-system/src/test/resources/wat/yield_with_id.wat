;; Yields named by a 32-byte id (protocol 85's promise_yield_create_with_id and
;; promise_yield_resume_with_yield_id) for YieldWithIdTest. The create methods take the id as input;
;; resume takes the id followed by the payload. The callback on_resume returns "S<payload>" or "F".
(module
  (import "env" "input" (func $input (param i64)))
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (import "env" "panic_utf8" (func $panic_utf8 (param i64 i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "register_len" (func $register_len (param i64) (result i64)))
  (import "env" "promise_return" (func $promise_return (param i64)))
  (import "env" "promise_result" (func $promise_result (param i64 i64) (result i64)))
  (import "env" "promise_yield_create_with_id"
    (func $create_with_id (param i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
  (import "env" "promise_yield_resume_with_yield_id"
    (func $resume_with_yield_id (param i64 i64 i64 i64) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "on_resume")
  ;; u128 0 at 16, u128 1000 at 32, u128::MAX at 48
  (data (i32.const 32) "\e8\03")
  (data (i32.const 48) "\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff")
  (data (i32.const 64) "dup")
  (data (i32.const 72) "now")
  (data (i32.const 80) "not resumed")
  (data (i32.const 96) "after the yield")

  ;; A yield of on_resume (20 Tgas, no arguments) named by the input, attaching the u128 at $amount.
  (func $create (param $amount i64) (result i64)
    (call $input (i64.const 0))
    (call $create_with_id (i64.const 9) (i64.const 0) (i64.const 0) (i64.const 0) (local.get $amount)
      (i64.const 20000000000000) (i64.const 0) (i64.const -1) (i64.const 0)))

  ;; Returns the yield's promise (its callback's value becomes the call's), or "dup" when taken.
  (func $create_or_dup (param $amount i64)
    (local $p i64)
    (local.set $p (call $create (local.get $amount)))
    (if (i64.eq (local.get $p) (i64.const -1))
      (then (call $value_return (i64.const 3) (i64.const 64)))
      (else (call $promise_return (local.get $p)))))

  (func (export "create") (call $create_or_dup (i64.const 16)))
  (func (export "create_paying") (call $create_or_dup (i64.const 32)))
  (func (export "create_overdrawn") (call $create_or_dup (i64.const 48)))

  ;; The same id twice in one call: the second finds the first waiting.
  (func (export "create_twice")
    (drop (call $create (i64.const 16)))
    (call $create_or_dup (i64.const 16)))

  ;; A yield whose creating call then fails: the id is not taken.
  (func (export "create_then_fail")
    (drop (call $create (i64.const 16)))
    (call $panic_utf8 (i64.const 15) (i64.const 96)))

  ;; Creates and resumes in the same call with "now"; a second resume in the call finds nothing.
  (func (export "create_and_resume")
    (local $p i64)
    (local.set $p (call $create (i64.const 16)))
    (call $read_register (i64.const 0) (i64.const 1000))
    (if (i32.ne (call $resume_with_yield_id (i64.const 32) (i64.const 1000) (i64.const 3) (i64.const 72))
                (i32.const 1))
      (then (call $panic_utf8 (i64.const 11) (i64.const 80))))
    (if (i32.ne (call $resume_with_yield_id (i64.const 32) (i64.const 1000) (i64.const 3) (i64.const 72))
                (i32.const 0))
      (then (call $panic_utf8 (i64.const 3) (i64.const 64))))
    (call $promise_return (local.get $p)))

  ;; Input: the 32-byte id, then the payload. Returns "1" when a yield was resumed, else "0".
  (func (export "resume")
    (call $input (i64.const 0))
    (call $read_register (i64.const 0) (i64.const 1000))
    (i32.store8 (i32.const 900)
      (i32.add (i32.const 48)
        (call $resume_with_yield_id (i64.const 32) (i64.const 1000)
          (i64.sub (call $register_len (i64.const 0)) (i64.const 32)) (i64.const 1032))))
    (call $value_return (i64.const 1) (i64.const 900)))

  ;; Ids that are not 32 bytes: YieldIdMalformed.
  (func (export "create_short_id")
    (drop (call $create_with_id (i64.const 9) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 16)
      (i64.const 20000000000000) (i64.const 0) (i64.const 16) (i64.const 1000))))
  (func (export "resume_long_id")
    (drop (call $resume_with_yield_id (i64.const 33) (i64.const 1000) (i64.const 0) (i64.const 0))))

  (func (export "on_resume")
    (if (i64.eq (call $promise_result (i64.const 0) (i64.const 1)) (i64.const 1))
      (then
        (i32.store8 (i32.const 2000) (i32.const 83))
        (call $read_register (i64.const 1) (i64.const 2001))
        (call $value_return (i64.add (call $register_len (i64.const 1)) (i64.const 1)) (i64.const 2000)))
      (else
        (i32.store8 (i32.const 2000) (i32.const 70))
        (call $value_return (i64.const 1) (i64.const 2000))))))
