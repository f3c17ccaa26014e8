;; A contract whose method makes the wasm runtime itself fail: table.grow by 2^31 - 1 entries on a
;; table of one, which Chicory 1.7.5 (TableInstance.grow) sums into a negative int and hands to
;; Arrays.copyOf, a NegativeArraySizeException where wasm wants -1 (see runtime_fault.wat).
(module
  (table 1 funcref)
  (func (export "grow")
    (drop (table.grow 0 (ref.null func) (i32.const 0x7fffffff)))))
