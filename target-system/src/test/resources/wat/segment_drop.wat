;; Changes a data segment after instantiation (data.drop): instances of this module are built for
;; every call, never reused (ReusableInstance), and every call copies the segment anew.
(module
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (memory (export "memory") 1)
  (data $passive "P")
  (func (export "copy_then_drop")
    (memory.init $passive (i32.const 0) (i32.const 0) (i32.const 1))
    (data.drop $passive)
    (call $value_return (i64.const 1) (i64.const 0))))
