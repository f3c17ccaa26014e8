;; State an instance reused by the next call (ReusableInstance) must not carry into it: a mutable
;; global, memory written and grown, bytes copied from a passive data segment. "observe" returns
;; what it found (the global, the byte at 100, the size in pages above 1,023 (NEAR's 1,024 initial
;; pages, whatever the module declares: '1'), the segment's byte copied to 3)
;; and changes all of it; "observe_then_trap" changes it and traps. Every call must return "0A1P".
(module
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (memory (export "memory") 1 4)
  (global $seen (mut i32) (i32.const 48))
  (data (i32.const 100) "A")
  (data $passive "P")
  (func $change
    (global.set $seen (i32.add (global.get $seen) (i32.const 1)))
    (i32.store8 (i32.const 100) (i32.const 66))
    (drop (memory.grow (i32.const 1))))
  (func (export "observe")
    (i32.store8 (i32.const 0) (global.get $seen))
    (i32.store8 (i32.const 1) (i32.load8_u (i32.const 100)))
    (i32.store8 (i32.const 2) (i32.add (i32.const 48) (i32.sub (memory.size) (i32.const 1023))))
    (i32.store8 (i32.const 3) (i32.const 0))
    (memory.init $passive (i32.const 3) (i32.const 0) (i32.const 1))
    (call $change)
    (call $value_return (i64.const 4) (i64.const 0)))
  (func (export "observe_then_trap")
    (call $change)
    (unreachable)))
