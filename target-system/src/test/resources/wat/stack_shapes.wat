;; Functions whose finite-wasm stack figures StackAnalysisTest checks by hand (see the test).
(module
  (type $binop (func (param i64 i64) (result i64)))
  (memory 1)
  (table 1 funcref)
  ;; 0: two i64 on the stack at most.
  (func (result i64) (i64.add (i64.const 1) (i64.const 2)))
  ;; 1: the else arm holds two i32; the if's condition is popped before the arms.
  (func (param i32) (result i32)
    (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.add (i32.const 2) (i32.const 3)))))
  ;; 2: after unreachable nothing counts.
  (func unreachable (i64.const 1) (i64.const 2) (i64.const 3) drop drop drop)
  ;; 3: call_indirect pops the callee's two parameters but leaves the table index counted.
  (func (param i64 i64) (local f64)
    (drop (call_indirect (type $binop) (i64.const 1) (i64.const 2) (i32.const 0))))
  ;; 4: br_if pops only its condition; the block's end drops what it held.
  (func (block (br_if 0 (i32.const 1))) (drop (i32.const 1)))
  ;; 5: a load then a conversion to f64.
  (func (result f64) (f64.convert_i32_s (i32.load (i32.const 0)))))
