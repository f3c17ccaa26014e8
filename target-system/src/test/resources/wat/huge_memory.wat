;; A module declaring NEAR's maximum of 2,048 pages (128 MiB) that touches one byte of them: each
;; call must cost the page it writes, not the memory it declares (issue 15, item 5).
(module
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (memory (export "memory") 2048 2048)
  (func (export "touch")
    (i32.store8 (i32.const 134217000) (i32.add (i32.load8_u (i32.const 134217000)) (i32.const 49)))
    (call $value_return (i64.const 1) (i64.const 134217000))))
