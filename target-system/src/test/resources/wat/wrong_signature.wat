;; Imports a NEAR host function with the wrong signature.
(module
  (import "env" "storage_read" (func (param i32) (result i32)))
  (func (export "run")))
