;; Control flow in every shape the parser labels (InstrumentedModuleTest): the instrumented module
;; built in memory must equal Chicory's parse of the instrumented bytes, instruction by instruction.
(module
  (type $unary (func (param i32) (result i32)))
  (import "env" "used_gas" (func $used_gas (result i64)))
  (memory 1 4)
  (table 2 funcref)
  (elem (i32.const 0) $first_is_loop $branches)
  (global $g (mut i32) (i32.const 7))
  (data (i32.const 16) "control")
  (start $init)
  (func $init (global.set $g (i32.const 8)))
  ;; Empty.
  (func $empty)
  ;; The first instruction opens a loop; the body ends with the loop's end and the function's.
  (func $first_is_loop (param i32) (result i32)
    (loop $l
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get 0) (i32.const 0))))
    (local.get 0))
  (func $ends_in_loop (param i32)
    (if (i32.eq (local.get 0) (i32.const 5)) (then (br 1)))
    (loop $l (br_if $l (i32.eqz (local.get 0)))))
  ;; Branches to blocks, loops and the function's own label; br_table over all of them.
  (func $branches (param i32) (result i32) (local i64)
    (block $out
      (block $a
        (loop $again
          (block $b
            (br_table $a $b $again $out 0 (local.get 0)))
          (local.set 0 (i32.add (local.get 0) (i32.const 1)))
          (br_if $again (i32.lt_u (local.get 0) (i32.const 3)))
          (br $out))
        (return (i32.const 5)))
      (if (local.get 0) (then (br 1))))
    (if (result i32) (local.get 0)
      (then (i32.const 1))
      (else (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 2)) (else (i32.const 3))))))
  (func $if_without_else (param i32) (result i32)
    (if (local.get 0) (then (local.set 0 (i32.const 9)) (br 0)))
    (if (local.get 0) (then) (else (nop)))
    (local.get 0))
  ;; Calls (host and indirect), memory.grow, bulk memory, select, drop, unreachable.
  (func $ops (param i32) (result i32)
    (drop (call $used_gas))
    (drop (call_indirect (type $unary) (local.get 0) (i32.const 0)))
    (drop (memory.grow (i32.const 1)))
    (memory.fill (i32.const 0) (i32.const 1) (i32.const 8))
    (memory.copy (i32.const 8) (i32.const 0) (i32.const 8))
    (if (i32.eq (local.get 0) (i32.const 99)) (then unreachable))
    (select (local.get 0) (i32.const 2) (i32.const 1)))
  (func (export "run") (result i32)
    (call $empty)
    (call $ends_in_loop (i32.const 1))
    (i32.add (call $branches (i32.const 1)) (call $if_without_else (i32.const 0)))
    (i32.add (call $ops (i32.const 4)))
    (i32.add (call $first_is_loop (i32.const 3)))))
