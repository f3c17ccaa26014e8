;; A data segment that ends one byte past NEAR's initial 64 MiB: nearcore's instantiation traps
;; (wasmtime: Trap::MemoryOutOfBounds, WasmTrap::MemoryOutOfBounds) on every call, whatever the
;; module declares (here 2,048 pages, which nearcore ignores).
(module
  (import "env" "value_return" (func $value_return (param i64 i64)))
  (memory (export "memory") 2048)
  (data (i32.const 67108862) "abc")
  (func (export "run")
    (call $value_return (i64.const 1) (i64.const 0))))
