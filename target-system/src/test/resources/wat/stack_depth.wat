;; nearcore's max_stack_height (256 KiB at protocol 86) as finite-wasm counts it: each function
;; entry reserves its frame (64 bytes + parameters and locals) plus its largest operand stack.
;; $rec: frame 64 + 4 (i32 param) = 68, operand stack at most 8 bytes (two i32) -> 76 per level.
;; The exported methods: frame 64, operand stack 4 (one i32) -> 68.
;; under: 68 + 3448 * 76 = 262,116 <= 262,144; over: 68 + 3449 * 76 = 262,192 > 262,144.
(module
  (func $rec (param $n i32)
    (if (i32.eqz (local.get $n)) (then (return)))
    (call $rec (i32.sub (local.get $n) (i32.const 1))))
  ;; $rec(n) is entered n + 1 times.
  (func (export "under") (call $rec (i32.const 3447)))
  (func (export "over") (call $rec (i32.const 3448)))
  ;; Frames are released on return: two deep descents in a row fit as well as one.
  (func (export "twice") (call $rec (i32.const 3447)) (call $rec (i32.const 3447))))
