;; A contract laid out as near-sdk-rs builds one (rustc's wasm32 layout): 17 initial pages, a
;; 1 MiB shadow stack growing down from 1 MiB (global $sp), about 4 KiB of read-only data
;; right above it, and a bump heap after the data. Each call moves the stack pointer, writes its
;; frame, allocates its buffers on the heap and copies strings out of the data segment, so it
;; touches memory where a real contract does. Counter semantics as counter.wat: key "STATE" ->
;; i64 little-endian; results are JSON numbers. Used by ContractBench and bench/contract-calls.
(module
  (import "env" "storage_read" (func $storage_read (param i64 i64 i64) (result i64)))
  (import "env" "storage_write" (func $storage_write (param i64 i64 i64 i64 i64) (result i64)))
  (import "env" "register_len" (func $register_len (param i64) (result i64)))
  (import "env" "read_register" (func $read_register (param i64 i64)))
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (import "env" "log_utf8" (func $log_utf8 (param i64 i64)))
  (memory (export "memory") 17)
  (global $sp (mut i32) (i32.const 1048576))
  (global $heap (mut i32) (i32.const 1056768))
  ;; 1048576: "STATE" (5), 1048581: "Increased number" (16); then the rest of the rodata
  (data (i32.const 1048576) "STATEIncreased number\00"
        "called `Option::unwrap()` on a `None` value\00src/lib.rs\00Failed to deserialize input from JSON"
        ".\00Cannot deserialize the contract state.\00Contract state is corrupted\00attached deposit must"
        " be zero\00invalid type: \00expected \00integer\00string\00sequence\00map\00Increased number\00S"
        "TATE\00Smart contract panicked: \00capacity overflow\00memory allocation failed\00index out of b"
        "ounds\00called `Option::unwrap()` on a `None` value\00src/lib.rs\00Failed to deserialize input f"
        "rom JSON.\00Cannot deserialize the contract state.\00Contract state is corrupted\00attached depo"
        "sit must be zero\00invalid type: \00expected \00integer\00string\00sequence\00map\00Increased nu"
        "mber\00STATE\00Smart contract panicked: \00capacity overflow\00memory allocation failed\00index "
        "out of bounds\00called `Option::unwrap()` on a `None` value\00src/lib.rs\00Failed to deserialize"
        " input from JSON.\00Cannot deserialize the contract state.\00Contract state is corrupted\00attac"
        "hed deposit must be zero\00invalid type: \00expected \00integer\00string\00sequence\00map\00Incr"
        "eased number\00STATE\00Smart contract panicked: \00capacity overflow\00memory allocation failed"
        "\00index out of bounds\00called `Option::unwrap()` on a `None` value\00src/lib.rs\00Failed to des"
        "erialize input from JSON.\00Cannot deserialize the contract state.\00Contract state is corrupted"
        "\00attached deposit must be zero\00invalid type: \00expected \00integer\00string\00sequence\00ma"
        "p\00Increased number\00STATE\00Smart contract panicked: \00capacity overflow\00memory allocation"
        " failed\00index out of bounds\00called `Option::unwrap()` on a `None` value\00src/lib.rs\00Faile"
        "d to deserialize input from JSON.\00Cannot deserialize the contract state.\00Contract state is c"
        "orrupted\00attached deposit must be zero\00invalid type: \00expected \00integer\00string\00seque"
        "nce\00map\00Increased number\00STATE\00Smart contract panicked: \00capacity overflow\00memory al"
        "location failed\00index out of bounds\00called `Option::unwrap()` on a `None` value\00src/lib.rs"
        "\00Failed to deserialize input from JSON.\00Cannot deserialize the contract state.\00Contract st"
        "ate is corrupted\00attached deposit must be zero\00invalid type: \00expected \00integer\00string"
        "\00sequence\00map\00Increased number\00STATE\00Smart contract panicked: \00capacity overflow\00m"
        "emory allocation failed\00index out of bounds\00called `Option::unwrap()` on a `None` value\00sr"
        "c/lib.rs\00Failed to deserialize input from JSON.\00Cannot deserialize the contract state.\00Con"
        "tract state is corrupted\00attached deposit must be zero\00invalid type: \00expected \00integer"
        "\00string\00sequence\00map\00Increased number\00STATE\00Smart contract panicked: \00capacity over"
        "flow\00memory allocation failed\00index out of bounds\00called `Option::unwrap()` on a `None` va"
        "lue\00src/lib.rs\00Failed to deserialize input from JSON.\00Cannot deserialize the contract stat"
        "e.\00Contract state is corrupted\00attached deposit must be zero\00invalid type: \00expected \00"
        "integer\00string\00sequence\00map\00Increased number\00STATE\00Smart contract panicked: \00capac"
        "ity overflow\00memory allocation failed\00index out of bounds\00called `Option::unwrap()` on a `"
        "None` value\00src/lib.rs\00Failed to deserialize input from JSON.\00Cannot deserialize the contr"
        "act state.\00Contract state is corrupted\00attached deposit must be zero\00invalid type: \00expe"
        "cted \00integer\00string\00sequence\00map\00Increased number\00STATE\00Smart contract panicked: "
        "\00capacity overflow\00memory allocation failed\00index out of bounds\00called `Option::unwrap()"
        "` on a `None` value\00src/lib.rs\00Failed to deserialize input from JSON.\00Cannot deserialize t"
        "he contract state.\00Contract state is corrupted\00attached deposit must be zero\00invalid type:"
        " \00expected \00integer\00string\00sequence\00map\00Increased number\00STATE\00Smart contract pa"
        "nicked: \00capacity overflow\00memory allocation failed\00index out of bounds\00called `Option::"
        "unwrap()` on a `None` value\00src/lib.rs\00Failed to deserialize input from JSON.\00Cannot deser"
        "ialize the contract state.\00Contract state is corrupted\00attached deposit must be zero\00")
  (func $alloc (param $n i32) (result i32) (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.and (i32.add (i32.add (local.get $p) (local.get $n)) (i32.const 7)) (i32.const -8)))
    (local.get $p))
  (func $memcpy (param $dst i32) (param $src i32) (param $n i32)
    (block $done (loop $copy
      (br_if $done (i32.eqz (local.get $n)))
      (i32.store8 (local.get $dst) (i32.load8_u (local.get $src)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 1)))
      (local.set $src (i32.add (local.get $src) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $copy))))
  ;; Reads the state into a heap buffer (near-sdk: env::storage_read + Vec), 0 when absent.
  (func $load (param $frame i32) (result i64) (local $len i32) (local $buf i32)
    (if (result i64) (i64.eq (call $storage_read (i64.const 5) (i64.const 1048576) (i64.const 0)) (i64.const 1))
      (then
        (local.set $len (i32.wrap_i64 (call $register_len (i64.const 0))))
        (local.set $buf (call $alloc (local.get $len)))
        (call $read_register (i64.const 0) (i64.extend_i32_u (local.get $buf)))
        (i64.store offset=8 (local.get $frame) (i64.load (local.get $buf)))
        (i64.load offset=8 (local.get $frame)))
      (else (i64.const 0))))
  (func $store (param $frame i32) (param $v i64) (local $key i32)
    (local.set $key (call $alloc (i32.const 5)))
    (call $memcpy (local.get $key) (i32.const 1048576) (i32.const 5))
    (i64.store offset=16 (local.get $frame) (local.get $v))
    (drop (call $storage_write (i64.const 5) (i64.extend_i32_u (local.get $key))
                               (i64.const 8) (i64.extend_i32_u (i32.add (local.get $frame) (i32.const 16)))
                               (i64.const 1))))
  ;; serde_json::to_vec of an i64 into a heap buffer, then value_return.
  (func $return_num (param $v i64) (local $buf i32) (local $p i32) (local $neg i32) (local $u i64)
    (local.set $buf (call $alloc (i32.const 32)))
    (local.set $p (i32.add (local.get $buf) (i32.const 32)))
    (local.set $neg (i64.lt_s (local.get $v) (i64.const 0)))
    (local.set $u (if (result i64) (local.get $neg)
      (then (i64.sub (i64.const 0) (local.get $v))) (else (local.get $v))))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p) (i64.add (i64.const 48) (i64.rem_u (local.get $u) (i64.const 10))))
      (local.set $u (i64.div_u (local.get $u) (i64.const 10)))
      (br_if $digits (i64.ne (local.get $u) (i64.const 0))))
    (if (local.get $neg) (then
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.const 45))))
    (call $value_return (i64.extend_i32_u (i32.sub (i32.add (local.get $buf) (i32.const 32)) (local.get $p)))
                        (i64.extend_i32_u (local.get $p))))
  (func $enter (result i32) (local $frame i32)
    (local.set $frame (i32.sub (global.get $sp) (i32.const 256)))
    (global.set $sp (local.get $frame))
    (i64.store (local.get $frame) (i64.const 0))
    (local.get $frame))
  (func $leave (param $frame i32)
    (global.set $sp (i32.add (local.get $frame) (i32.const 256))))
  (func (export "get_num") (local $frame i32)
    (local.set $frame (call $enter))
    (call $return_num (call $load (local.get $frame)))
    (call $leave (local.get $frame)))
  (func (export "increment") (local $frame i32) (local $v i64) (local $msg i32)
    (local.set $frame (call $enter))
    (local.set $v (i64.add (call $load (local.get $frame)) (i64.const 1)))
    (call $store (local.get $frame) (local.get $v))
    (local.set $msg (call $alloc (i32.const 16)))
    (call $memcpy (local.get $msg) (i32.const 1048581) (i32.const 16))
    (call $log_utf8 (i64.const 16) (i64.extend_i32_u (local.get $msg)))
    (call $return_num (local.get $v))
    (call $leave (local.get $frame))))
