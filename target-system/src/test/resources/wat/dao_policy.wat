;; A Sputnik-v2-like DAO reduced to its policy, for the keystore's DaoMember condition:
;; set_policy stores its input (a Policy JSON) under key "policy"; get_policy returns it
;; (or `null` before the first set_policy), as sputnik-dao-contract v2's view does.
(module
  (import "env" "input" (func $input (param i64)))
  (import "env" "register_len" (func $register_len (param i64) (result i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "storage_read" (func $storage_read (param i64 i64 i64) (result i64)))
  (import "env" "storage_write" (func $storage_write (param i64 i64 i64 i64 i64) (result i64)))
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (memory (export "memory") 17)
  (data (i32.const 0) "policy")
  (data (i32.const 16) "null")
  (func (export "set_policy")
    (call $input (i64.const 0))
    (call $read_register (i64.const 0) (i64.const 1024))
    (drop (call $storage_write (i64.const 6) (i64.const 0)
                               (call $register_len (i64.const 0)) (i64.const 1024) (i64.const 1))))
  (func (export "get_policy")
    (if (i64.eq (call $storage_read (i64.const 6) (i64.const 0) (i64.const 0)) (i64.const 1))
      (then
        (call $read_register (i64.const 0) (i64.const 1024))
        (call $value_return (call $register_len (i64.const 0)) (i64.const 1024)))
      (else (call $value_return (i64.const 4) (i64.const 16))))))
