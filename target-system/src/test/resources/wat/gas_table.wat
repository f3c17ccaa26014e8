;; Gas by hand (GasTableTest): a few hundred metered operations and host calls whose every charge
;; can be computed from the pinned parameter table. Flat (not folded) so operations are easy to count.
(module
  (import "env" "storage_write" (func $storage_write (param i64 i64 i64 i64 i64) (result i64)))
  (import "env" "storage_read" (func $storage_read (param i64 i64 i64) (result i64)))
  (import "env" "storage_has_key" (func $storage_has_key (param i64 i64) (result i64)))
  (import "env" "storage_remove" (func $storage_remove (param i64 i64 i64) (result i64)))
  (import "env" "sha256" (func $sha256 (param i64 i64 i64)))
  (import "env" "keccak256" (func $keccak256 (param i64 i64 i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "log_utf8" (func $log_utf8 (param i64 i64)))
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (import "env" "promise_batch_create" (func $promise_batch_create (param i64 i64) (result i64)))
  (import "env" "promise_batch_action_transfer" (func $promise_batch_action_transfer (param i64 i64)))
  (memory (export "memory") 80)
  (data (i32.const 0) "ab")
  (data (i32.const 8) "12345678")
  (data (i32.const 32) "sink.test.near")
  ;; 99.999999999999999999999000 NEAR: all of the default 100 NEAR but 1,000 yoctoNEAR, u128 LE.
  (data (i32.const 48) "\18\fc\ff\e3\d2\0c\c8\dc\d2\b7\52\00\00\00\00\00")

  ;; writes "a" = "12345678"
  (func (export "setup")
    i64.const 1
    i64.const 0
    i64.const 8
    i64.const 8
    i64.const 0
    call $storage_write
    drop)

  ;; 100 times: has_key "a", read "a", write "b", sha256, keccak256, read_register, memory.fill;
  ;; then remove "a", log "12345", return "12345678"
  (func (export "run") (local $i i32)
    i32.const 100
    local.set $i
    loop $l
      i64.const 1
      i64.const 0
      call $storage_has_key
      drop
      i64.const 1
      i64.const 0
      i64.const 0
      call $storage_read
      drop
      i64.const 1
      i64.const 1
      i64.const 8
      i64.const 8
      i64.const 1
      call $storage_write
      drop
      i64.const 8
      i64.const 8
      i64.const 2
      call $sha256
      i64.const -1
      i64.const 2
      i64.const 3
      call $keccak256
      i64.const 3
      i64.const 64
      call $read_register
      i32.const 128
      i32.const 7
      i32.const 32
      memory.fill
      local.get $i
      i32.const 1
      i32.sub
      local.tee $i
      br_if $l
    end
    i64.const 1
    i64.const 0
    i64.const 0
    call $storage_remove
    drop
    i64.const 5
    i64.const 8
    call $log_utf8
    i64.const 8
    i64.const 8
    call $value_return)

  ;; sha256 of 4 MiB until the gas runs out
  (func (export "burn")
    loop $l
      i64.const 4194304
      i64.const 0
      i64.const 0
      call $sha256
      br $l
    end)

  ;; the same with an 8-byte value: 100 + the code + 1 + 8 + 40 bytes stay within 770, a
  ;; zero-balance account that needs no stake (NEP-448)
  (func (export "drain_within_zero_balance")
    i64.const 14
    i64.const 32
    call $promise_batch_create
    i64.const 48
    call $promise_batch_action_transfer
    i64.const 1
    i64.const 1
    i64.const 8
    i64.const 8
    i64.const 0
    call $storage_write
    drop)

  ;; gives away all but 1,000 yoctoNEAR, then writes 200 bytes: past 770 bytes (no zero-balance
  ;; account any more) the balance cannot cover the storage
  (func (export "drain")
    i64.const 14
    i64.const 32
    call $promise_batch_create
    i64.const 48
    call $promise_batch_action_transfer
    i64.const 1
    i64.const 1
    i64.const 200
    i64.const 8
    i64.const 0
    call $storage_write
    drop))
