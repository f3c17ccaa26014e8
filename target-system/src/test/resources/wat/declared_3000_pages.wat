;; A module declaring 3,000 initial pages, more than NEAR's maximum of 2,048: nearcore's preparation
;; validates the declaration (at most 65,536 pages) and replaces it with NEAR's memory
;; (prepare_v3.rs), so it deploys and its calls see 1,024 pages.
(module
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (memory (export "memory") 3000)
  (func (export "size")
    (i32.store (i32.const 0) (memory.size))
    (call $value_return (i64.const 4) (i64.const 0))))
