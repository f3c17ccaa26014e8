;; A contract that grows to NEAR's maximum of 2,048 pages (128 MiB) and touches one byte of the
;; last: each call must cost the page it writes and a page table that grows with the wasm pages
;; touched, not the memory's size (issue 15, item 5). What it declares does not matter: nearcore
;; gives every contract 1,024 pages growing to 2,048.
(module
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (memory (export "memory") 2048 2048)
  (func (export "touch")
    (drop (memory.grow (i32.sub (i32.const 2048) (memory.size))))
    (i32.store8 (i32.const 134217000) (i32.add (i32.load8_u (i32.const 134217000)) (i32.const 49)))
    (call $value_return (i64.const 1) (i64.const 134217000))))
