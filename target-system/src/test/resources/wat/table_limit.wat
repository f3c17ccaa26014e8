;; table.grow against max_elements_per_contract_table (10,000), the limit nearcore's wasmtime runner
;; holds a table's growth to: grow_to_limit grows a table of one by 9,999 (answers 1, the old size),
;; grow_past_limit by 10,000 and grow_by_2_31 by 2^31 - 1 (both answer -1). Each returns the answer
;; as 4 little-endian bytes. Before the limit, Chicory grew to whatever was asked (gigabytes of heap
;; for one call) and turned 2^31 - 1 into a NegativeArraySizeException.
(module
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (memory 1)
  (table 1 funcref)
  (func $answer (param i32)
    (i32.store (i32.const 0) (local.get 0))
    (call $value_return (i64.const 4) (i64.const 0)))
  (func (export "grow_to_limit") (call $answer (table.grow 0 (ref.null func) (i32.const 9999))))
  (func (export "grow_past_limit") (call $answer (table.grow 0 (ref.null func) (i32.const 10000))))
  (func (export "grow_by_2_31") (call $answer (table.grow 0 (ref.null func) (i32.const 0x7fffffff)))))
